"""Back office for the audit log: read-only, like the log itself."""

from __future__ import annotations

from django.contrib import admin

from wushe.audit.models import AuditEvent, PiiAccess
from wushe.web.adminkit import ReadOnlyAdmin


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "action", "target_type", "target_id", "target_label",
                    "region_path", "ip")
    search_fields = ("actor_name", "action", "target_label", "target_id")
    date_hierarchy = "at"
    fields = ("at", "actor_name", "action", "target_type", "target_id", "target_label",
              "region_path", "data", "ip")
    readonly_fields = fields
    show_full_result_count = False


@admin.register(PiiAccess)
class PiiAccessAdmin(ReadOnlyAdmin):
    list_display = ("at", "actor_name", "subject_type", "subject_id", "field", "purpose", "ip")
    search_fields = ("actor_name", "subject_id", "purpose")
    date_hierarchy = "at"
    fields = ("at", "actor_name", "subject_type", "subject_id", "field", "purpose",
              "region_path", "ip")
    readonly_fields = fields
    show_full_result_count = False
