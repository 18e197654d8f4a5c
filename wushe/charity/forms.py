"""Forms of the charity pages: they parse and show input; the rules live in the services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.charity.models import (
    BeneficiaryKind,
    CommitteeRole,
    DisbursementCategory,
    DisbursementSource,
    DisbursementStatus,
    DisclosureKind,
    DonationChannel,
    DonationKind,
    DonationStatus,
    DonorKind,
    FundKind,
    FundStatus,
    TargetGroup,
)
from wushe.core.errors import ValidationFailed
from wushe.core.ids import normalize_credit_code, normalize_id_number, to_half_width
from wushe.core.logmask import looks_like_identifier
from wushe.regions.models import Region, RegionLevel
from wushe.web import privatesearch
from wushe.web.forms import FilterForm, PageForm, set_choices


def money_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.CharField:
    """Yuan as text: the service parses it (full-width digits, thousands separators)."""
    return forms.CharField(label=label, required=required, help_text=help_text, max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "decimal"}))


def date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, required=False,
                           widget=forms.DateInput(attrs={"type": "date"}))


def indent(region: Region) -> str:
    depth = {RegionLevel.DISTRICT: 0, RegionLevel.STREET: 1, RegionLevel.COMMUNITY: 2}.get(
        RegionLevel(region.level), 0)
    return "　" * depth + region.name


def blank(label: Any) -> list[tuple[str, Any]]:
    return [("", label)]


class FundFilterForm(FilterForm):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", blank(_("All my area")) + [(r.code, indent(r))
                                                               for r in regions])
        set_choices(self, "kind", blank(_("All kinds")) + list(FundKind.choices))
        set_choices(self, "status", blank(_("All statuses")) + list(FundStatus.choices))


class FundForm(PageForm):
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    name = forms.CharField(label=gettext_lazy("Fund name"), max_length=200)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FundKind.choices)
    parent_org_name = forms.CharField(
        label=gettext_lazy("Parent organisation"), max_length=200,
        help_text=gettext_lazy("The organisation the fund is set up under; printed on receipts."))
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    target_groups = forms.MultipleChoiceField(
        label=gettext_lazy("Target groups"), required=False, choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple)
    need_categories = forms.CharField(
        label=gettext_lazy("Need categories"), max_length=300, required=False,
        help_text=gettext_lazy("Separated by commas, e.g. medical relief, schooling"))
    cap_per_case = money_field(gettext_lazy("Cap per case (yuan)"), required=False)
    second_approval_above = money_field(gettext_lazy("Second approver needed above (yuan)"), required=False, help_text=gettext_lazy("Leave blank for the local rule's default."))
    established_on = date_field(gettext_lazy("Established on"))

    def __init__(self, *args: Any, regions: list[Region] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if regions is None:  # editing: region and kind are fixed
            del self.fields["region"]
            del self.fields["kind"]
        else:
            set_choices(self, "region", [(r.code, indent(r)) for r in regions])
        # CheckboxSelectMultiple renders its own inputs; Bootstrap's form-control breaks them.
        self.fields["target_groups"].widget.attrs["class"] = "form-check-input"


class StatusForm(PageForm):
    status = forms.ChoiceField(choices=FundStatus.choices, widget=forms.HiddenInput)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


class MemberForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=CommitteeRole.choices)
    affiliation = forms.CharField(label=gettext_lazy("Affiliation"), max_length=100,
                                  required=False)
    joined_on = date_field(gettext_lazy("Joined on"))


class DisclosureForm(PageForm):
    kind = forms.ChoiceField(label=gettext_lazy("Report"), choices=DisclosureKind.choices)
    period_start = forms.ChoiceField(label=gettext_lazy("Period"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, periods: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "period_start", periods)


# The same words as the people list's: a donor's name may be a person's (#22).
NAME_IN_URL = gettext_lazy(
    "Search by name with the search form: a name must not appear in the address.")


def query_allowed_in_url(q: str) -> bool:
    """May a donor search ``q`` stand in a URL: empty, or a unified social credit code (an
    organisation's, not personal). A name, an ID number or a phone goes in a POST (#22)."""
    text = to_half_width(q or "").strip()
    if not text:
        return True
    try:
        normalize_credit_code(text)
    except ValidationFailed:
        return False
    try:  # 18 digits may be both: a person's ID number never goes in a URL
        normalize_id_number(text)
    except ValidationFailed:
        return True
    return False


class DonorFilterForm(FilterForm):
    q = forms.CharField(
        label=gettext_lazy("Name or credit code"), required=False, max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=gettext_lazy("Full name or unified social credit code (exact)"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)

    def __init__(self, *args: Any, via_url: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.via_url = via_url
        set_choices(self, "kind", blank(_("All donors")) + list(DonorKind.choices))

    def clean_q(self) -> str:
        """From the URL only a credit code is taken; anything else is searched through the
        posted form, which keeps it out of the address, the access log and the history."""
        q: str = self.cleaned_data.get("q") or ""
        if self.via_url and not query_allowed_in_url(q):
            if looks_like_identifier(q):
                raise forms.ValidationError(privatesearch.IDENTIFIER_IN_URL,
                                            code="identifier_in_url")
            raise forms.ValidationError(NAME_IN_URL, code="name_in_url")
        return q


class DonorForm(PageForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DonorKind.choices,
                             widget=forms.RadioSelect)
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    credit_code = forms.CharField(label=gettext_lazy("Unified social credit code"),
                                  max_length=30, required=False,
                                  help_text=gettext_lazy("Enterprises only: 18 characters."))
    contact_name = forms.CharField(label=gettext_lazy("Contact person"), max_length=50,
                                   required=False)
    phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
                            help_text=gettext_lazy("Stored encrypted, shown masked."))
    anonymous = forms.BooleanField(label=gettext_lazy("Wishes to stay anonymous"),
                                   required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", [(r.code, indent(r)) for r in regions])
        self.fields["kind"].widget.attrs["class"] = "form-check-input"


class RevealForm(PageForm):
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)


class DonationFilterForm(FilterForm):
    fund = forms.ChoiceField(label=gettext_lazy("Fund"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    date_from = date_field(gettext_lazy("From"))
    date_to = date_field(gettext_lazy("To"))
    receipt = forms.CharField(label=gettext_lazy("Receipt number"), required=False,
                              max_length=20)

    def __init__(self, *args: Any, funds: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "fund", blank(_("All funds")) + [(str(f.pk), f.name) for f in funds])
        set_choices(self, "kind", blank(_("Cash and in kind")) + list(DonationKind.choices))
        set_choices(self, "status", blank(_("All statuses")) + list(DonationStatus.choices))


class DonationForm(PageForm):
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    donor = forms.ChoiceField(label=gettext_lazy("Donor"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DonationKind.choices)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), choices=DonationChannel.choices)
    amount = money_field(gettext_lazy("Amount or valuation (yuan)"))
    received_on = date_field(gettext_lazy("Received on"))
    goods_description = forms.CharField(label=gettext_lazy("Goods (in kind)"), max_length=200,
                                        required=False)
    goods_quantity = forms.CharField(label=gettext_lazy("Quantity"), max_length=60,
                                     required=False)
    valuation_basis = forms.CharField(
        label=gettext_lazy("Valuation basis"), max_length=100, required=False,
        help_text=gettext_lazy("In kind: invoice, market price or appraisal."))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)

    def __init__(self, *args: Any, donors: list[Any], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        set_choices(self, "donor", blank(_("Choose a donor…")) + [
            (str(d.pk), f"{d.display_name}（{d.get_kind_display()}）") for d in donors])


class ReasonForm(PageForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200)


class DisbursementFilterForm(FilterForm):
    fund = forms.ChoiceField(label=gettext_lazy("Fund"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    awaiting_me = forms.BooleanField(label=gettext_lazy("Awaiting my approval"), required=False)

    def __init__(self, *args: Any, funds: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "fund", blank(_("All funds")) + [(str(f.pk), f.name) for f in funds])
        set_choices(self, "status", blank(_("All statuses")) + list(DisbursementStatus.choices))
        set_choices(self, "category", blank(_("All categories"))
                    + list(DisbursementCategory.choices))


class DisbursementForm(PageForm):
    category = forms.ChoiceField(label=gettext_lazy("Category"),
                                 choices=DisbursementCategory.choices)
    source = forms.ChoiceField(label=gettext_lazy("Paid from"), choices=DisbursementSource.choices)
    amount = money_field(gettext_lazy("Amount (yuan)"))
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=300,
                              widget=forms.Textarea(attrs={"rows": 2}))
    beneficiary_kind = forms.ChoiceField(label=gettext_lazy("Beneficiary"),
                                         choices=BeneficiaryKind.choices)
    id_number = forms.CharField(
        label=gettext_lazy("ID number of the person in care"), max_length=30, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("The person must be registered in your area."))
    need_id = forms.IntegerField(label=gettext_lazy("Need number"), required=False, min_value=1)
    project_id = forms.IntegerField(label=gettext_lazy("Project number"), required=False,
                                    min_value=1)
    beneficiary_label = forms.CharField(
        label=gettext_lazy("Need or project (public label)"), max_length=120, required=False,
        help_text=gettext_lazy("Shown on the public page: no names, ID or phone numbers."))
    beneficiary_count = forms.IntegerField(label=gettext_lazy("People benefiting"),
                                           required=False, min_value=1)


class CommentForm(PageForm):
    comment = forms.CharField(label=gettext_lazy("Comment"), max_length=200, required=False)


class PayForm(PageForm):
    payment_ref = forms.CharField(label=gettext_lazy("Payment voucher"), max_length=60,
                                  required=False)
