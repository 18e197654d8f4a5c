"""Back office for people and consents: view only, and personal data masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from wushe.people.models import Consent, Person
from wushe.web.adminkit import ReadOnlyAdmin


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    # Never id_number, phone or address themselves: only their masked forms.
    list_display = ("id", "masked_name", "masked_id_number", "masked_phone", "gender", "age",
                    "region")
    list_display_links = ("id", "masked_name")
    list_filter = ("gender",)
    list_select_related = ("region",)
    fields = ("masked_name", "gender", "age", "masked_id_number", "masked_phone",
              "masked_address", "region", "created_at", "updated_at")
    readonly_fields = fields
    show_full_result_count = False

    @admin.display(description=_("name"))
    def masked_name(self, obj: Person) -> str:
        return obj.masked_name

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Person) -> str:
        return obj.masked_id_number

    @admin.display(description=_("phone"))
    def masked_phone(self, obj: Person) -> str:
        return obj.masked_phone

    @admin.display(description=_("address"))
    def masked_address(self, obj: Person) -> str:
        return obj.masked_address

    @admin.display(description=_("age"))
    def age(self, obj: Person) -> Any:
        return obj.age()


@admin.register(Consent)
class ConsentAdmin(ReadOnlyAdmin):
    list_display = ("id", "person", "purpose", "sensitive", "given_at", "withdrawn_at")
    list_filter = ("purpose", "sensitive")
    list_select_related = ("person",)
    fields = ("person", "purpose", "scope", "sensitive", "guardian", "guardian_relation",
              "given_at", "withdrawn_at", "recorded_by", "created_at")
    readonly_fields = fields
    date_hierarchy = "given_at"
