"""Back office for charity resources: view only (money moves through the services and the
ledger is append-only), scoped like the pages, personal data masked."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from wushe.charity import access
from wushe.charity.models import Disbursement, Donation, Donor, Fund, LedgerEntry
from wushe.web.adminkit import ReadOnlyAdmin


class CharityAdmin(ReadOnlyAdmin):
    fund_field = "fund_id"

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        qs = self.model._default_manager.all()
        return access.visible(qs, request.user, access.VIEW, fund_field=self.fund_field)


@admin.register(Fund)
class FundAdmin(CharityAdmin):
    fund_field = "id"
    list_display = ("id", "name", "kind", "status", "region", "parent_org_name")
    list_filter = ("kind", "status")
    list_select_related = ("region",)
    search_fields = ("name",)
    fields = ("name", "kind", "status", "region", "parent_org_name", "purpose", "target_groups",
              "need_categories", "cap_per_case", "second_approval_above", "established_on")
    readonly_fields = fields


@admin.register(Donor)
class DonorAdmin(CharityAdmin):
    list_display = ("id", "display_name", "kind", "credit_code", "masked_phone", "region")
    list_filter = ("kind",)
    list_select_related = ("region",)
    fields = ("display_name", "kind", "credit_code", "masked_phone", "anonymous", "region")
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        from wushe.charity.selectors import donor_list

        return donor_list(actor=request.user)

    @admin.display(description=_("name"))
    def display_name(self, obj: Donor) -> str:
        return obj.display_name

    @admin.display(description=_("contact phone"))
    def masked_phone(self, obj: Donor) -> str:
        return obj.masked_phone


@admin.register(Donation)
class DonationAdmin(CharityAdmin):
    list_display = ("id", "received_on", "fund", "kind", "amount", "status", "entry")
    list_filter = ("kind", "status", "channel")
    list_select_related = ("fund",)
    fields = ("fund", "kind", "channel", "amount", "goods_description", "received_on", "status",
              "entry", "reversal_entry", "reverse_reason")
    readonly_fields = fields
    date_hierarchy = "received_on"


@admin.register(Disbursement)
class DisbursementAdmin(CharityAdmin):
    list_display = ("id", "requested_at", "fund", "category", "amount", "status", "entry")
    list_filter = ("category", "status", "beneficiary_kind")
    list_select_related = ("fund",)
    fields = ("fund", "category", "source", "amount", "purpose", "beneficiary_kind",
              "beneficiary_label", "beneficiary_count", "status", "approvals_required",
              "requested_at", "paid_at", "payment_ref", "entry", "reversal_entry")
    readonly_fields = fields


@admin.register(LedgerEntry)
class LedgerEntryAdmin(CharityAdmin):
    list_display = ("seq", "occurred_at", "fund", "kind", "ref", "hash")
    list_filter = ("kind",)
    list_select_related = ("fund",)
    fields = ("seq", "occurred_at", "fund", "kind", "ref", "memo", "reverses", "prev_hash",
              "hash")
    readonly_fields = fields
    show_full_result_count = False
