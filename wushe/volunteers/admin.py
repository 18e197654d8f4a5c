"""Back office for the volunteers app: view only (writes go through the services), personal data
masked. Superusers only reach it; the pages and the API are where the work is done."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wushe.volunteers.models import Activity, Certificate, ServiceRecord, Team, Volunteer
from wushe.web.adminkit import ReadOnlyAdmin


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ("path", "name", "brand", "level", "region", "members", "hours_confirmed",
                    "records_confirmed", "active")
    list_filter = ("level", "active")
    list_select_related = ("region",)
    search_fields = ("name", "brand", "path")


@admin.register(Volunteer)
class VolunteerAdmin(ReadOnlyAdmin):
    # The person's name and ID number only masked.
    list_display = ("number", "masked_name", "region", "status", "hours_confirmed",
                    "records_confirmed", "join_date")
    list_filter = ("status",)
    list_select_related = ("person", "region")
    fields = ("number", "masked_name", "region", "status", "skills", "interests",
              "availability", "join_date", "hours_confirmed", "records_confirmed")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("name"))
    def masked_name(self, obj: Volunteer) -> str:
        return obj.person.masked_name


@admin.register(Activity)
class ActivityAdmin(ReadOnlyAdmin):
    list_display = ("title", "team", "kind", "starts_at", "status", "risky", "signed_up",
                    "capacity")
    list_filter = ("status", "kind", "risky")
    list_select_related = ("team",)


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ReadOnlyAdmin):
    list_display = ("id", "volunteer", "team", "service_date", "hours", "status",
                    "corrects", "superseded_by")
    list_filter = ("status",)
    list_select_related = ("volunteer", "team")
    show_full_result_count = False


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ("number", "volunteer", "team", "hours", "issued_at", "revoked_at")
    list_select_related = ("volunteer", "team")
    fields = ("number", "volunteer", "team", "period_start", "period_end", "hours", "records",
              "issued_at", "revoked_at", "revoke_reason")
    readonly_fields = fields
