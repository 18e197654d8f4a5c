"""Forms of the renovation pages: they collect text; the services validate it (so a page and
the service refuse the same input with the same message)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.renovation.models import DocumentKind

DATE = forms.DateInput(attrs={"type": "date"})


class ProgrammeForm(forms.Form):
    region = forms.ChoiceField(label=_("Region"))
    name = forms.CharField(label=_("Name"), max_length=120)
    department = forms.CharField(label=_("Department"), max_length=120)
    start_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    end_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)
    total_budget = forms.CharField(label=_("Total budget (yuan)"), max_length=20)

    def __init__(self, *args: Any, regions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.regions = {r.code: r for r in regions}
        cast(forms.ChoiceField, self.fields["region"]).choices = [(r.code, r.name) for r in regions]


class RenovationAddForm(forms.Form):
    site = forms.ChoiceField(label=_("Party-and-people service centre"))
    budget = forms.CharField(label=_("Budget (yuan)"), max_length=20)

    def __init__(self, *args: Any, sites: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sites = {str(s.pk): s for s in sites}
        cast(forms.ChoiceField, self.fields["site"]).choices = [(str(s.pk), f"{s.region.name} · {s.name}") for s in sites]


class ContractForm(forms.Form):
    contractor = forms.CharField(label=_("Contractor"), max_length=120)
    contract_number = forms.CharField(label=_("Contract number"), max_length=60)
    contract_amount = forms.CharField(label=_("Contract amount (yuan)"), max_length=20)


class SpendingForm(forms.Form):
    spent_on = forms.CharField(label=_("Date"), widget=DATE)
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20)
    voucher_number = forms.CharField(label=_("Voucher number"), max_length=60)
    override_reason = forms.CharField(
        label=_("Reason for exceeding the contract"), max_length=300, required=False,
        help_text=_("Only needed when this payment takes the total past the contract amount."))


class AdvanceForm(forms.Form):
    on = forms.CharField(label=_("Date"), widget=DATE, required=False)
    document = forms.FileField(label=_("Acceptance document (PDF, PNG or JPEG, 10 MB at most)"),
                               required=False)

    def __init__(self, *args: Any, accepting: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not accepting:
            del self.fields["document"]
        else:
            self.fields["on"].required = True


class ReopenForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(
        attrs={"rows": 3}))


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    document = forms.FileField(label=_("File (PDF, PNG or JPEG, 10 MB at most)"))
