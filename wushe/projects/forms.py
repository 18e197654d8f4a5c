"""Page forms of the projects app. They parse input; the services hold the rules, and their
refusals land next to the field they concern (web.pages.submit)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.core.errors import ValidationFailed
from wushe.needs.categories import CATEGORIES, NeedGroup
from wushe.projects import groups
from wushe.projects.models import Domain, Method, Status
from wushe.projects.services import IndicatorSpec
from wushe.regions.models import Region
from wushe.web.forms import FilterForm, PageForm, blank_first, date_field, indent, set_choices

MONEY = {"inputmode": "decimal", "autocomplete": "off"}


def year_choices() -> list[tuple[str, str]]:
    this = timezone.localdate().year
    return [(str(y), str(y)) for y in range(this + 2, 2012, -1)]


class ProjectFilterForm(FilterForm):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
                        help_text=gettext_lazy("Part of the name, or a full project code"))
    year = forms.ChoiceField(label=gettext_lazy("Year"), required=False)
    domain = forms.ChoiceField(label=gettext_lazy("Domain"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    provider = forms.ChoiceField(label=gettext_lazy("Delivering organisation"), required=False)

    def __init__(self, *args: Any, regions: list[Region], providers: list[tuple[int, str]],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "year", blank_first(_("All years"), year_choices()))
        set_choices(self, "domain", blank_first(_("All domains"), Domain.choices))
        set_choices(self, "status", blank_first(_("All statuses"), Status.choices))
        set_choices(self, "region", blank_first(_("All my area"),
                                           [(r.code, indent(r)) for r in regions]))
        set_choices(self, "provider", blank_first(_("All providers"),
                                             [(str(pk), name) for pk, name in providers]))


class ProjectForm(PageForm):
    """The design form (项目设计)."""

    name = forms.CharField(label=gettext_lazy("Project name"), max_length=200)
    region = forms.ChoiceField(label=gettext_lazy("Region served"))
    domain = forms.ChoiceField(label=gettext_lazy("Domain"), choices=Domain.choices)
    year = forms.ChoiceField(label=gettext_lazy("Purchase year"))
    target_groups = forms.MultipleChoiceField(
        label=gettext_lazy("Groups served"), choices=groups.CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple)
    budget = forms.CharField(label=gettext_lazy("Budget (yuan)"), max_length=20,
                             widget=forms.TextInput(attrs=MONEY))
    leveraged = forms.CharField(label=gettext_lazy("Leveraged social resources (yuan)"),
                                max_length=20, required=False, widget=forms.TextInput(attrs=MONEY))
    summary = forms.CharField(label=gettext_lazy("Goals and content"), max_length=4000,
                              required=False, widget=forms.Textarea(attrs={"rows": 4}))
    indicators = forms.CharField(
        label=gettext_lazy("Output indicators"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("One per line: name, unit, target — e.g. 服务人次, 人次, 1200"))

    def __init__(self, *args: Any, regions: list[Region] | None = None, editing: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "year", year_choices())
        if editing:
            del self.fields["region"]
            del self.fields["indicators"]
        else:
            set_choices(self, "region", [(r.code, indent(r)) for r in regions or []])
        for name in ("target_groups",):
            self.fields[name].widget.attrs["class"] = "form-check-input"

    def clean_indicators(self) -> list[IndicatorSpec]:
        specs = []
        for n, line in enumerate(str(self.cleaned_data.get("indicators") or "").splitlines(), 1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("，", ",").split(",")]
            if len(parts) != 3:
                raise forms.ValidationError(
                    _("Line %(n)s: write name, unit, target separated by commas") % {"n": n})
            specs.append(IndicatorSpec(name=parts[0], unit=parts[1], target=parts[2]))
        return specs


class IndicatorForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Indicator"), max_length=200)
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=20)
    target = forms.CharField(label=gettext_lazy("Target value"), max_length=20,
                             widget=forms.TextInput(attrs=MONEY))
    achieved = forms.CharField(label=gettext_lazy("Achieved"), max_length=20, required=False,
                               widget=forms.TextInput(attrs=MONEY))


class NeedPickForm(FilterForm):
    """The demand-menu picker: needs by category × target group × region over a period."""

    start = date_field(gettext_lazy("From"))
    end = date_field(gettext_lazy("To"))
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    target_group = forms.ChoiceField(label=gettext_lazy("Target group"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", blank_first(_("All categories"),
                                             [(k, c.label) for k, c in CATEGORIES.items()]))
        set_choices(self, "target_group", blank_first(_("All groups"), NeedGroup.choices))
        set_choices(self, "region", blank_first(_("The project's area"),
                                           [(r.code, indent(r)) for r in regions]))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end date is before the start date"))
        return data


class ListAddForm(PageForm):
    plist = forms.ChoiceField(label=gettext_lazy("Purchase list"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)

    def __init__(self, *args: Any, lists: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "plist", [(str(pl.pk), str(pl)) for pl in lists])


class PurchaseListForm(PageForm):
    year = forms.ChoiceField(label=gettext_lazy("Year"))
    name = forms.CharField(label=gettext_lazy("Batch name"), max_length=100,
                           help_text=gettext_lazy("e.g. 2026年度政府购买社会工作服务项目(第一批)"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "year", year_choices())


class ProcurementForm(PageForm):
    method = forms.ChoiceField(label=gettext_lazy("Procurement method"), choices=Method.choices)
    candidates = forms.MultipleChoiceField(
        label=gettext_lazy("Candidates considered"), widget=forms.CheckboxSelectMultiple)
    selected = forms.ChoiceField(label=gettext_lazy("Selected provider"))
    reason = forms.CharField(label=gettext_lazy("Reason for the selection"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}))
    decided_on = date_field(gettext_lazy("Decided on"))

    def __init__(self, *args: Any, verdicts: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everyone = [(str(v.org.pk), v.org.name) for v in verdicts]
        set_choices(self, "candidates", everyone)
        self.fields["candidates"].widget.attrs["class"] = "form-check-input"
        set_choices(self, "selected", [(str(v.org.pk), v.org.name) for v in verdicts
                                       if v.eligible])


class ContractForm(PageForm):
    amount = forms.CharField(label=gettext_lazy("Contract amount (yuan)"), max_length=20,
                             widget=forms.TextInput(attrs=MONEY))
    start = date_field(gettext_lazy("Start"))
    end = date_field(gettext_lazy("End"))
    stable = forms.BooleanField(
        label=gettext_lazy("Stable project (稳定项目): a longer term is allowed"), required=False)
    over_budget_reason = forms.CharField(
        label=gettext_lazy("Reason for exceeding the budget"), max_length=300, required=False,
        help_text=gettext_lazy("Required only when the amount exceeds the budget"))
    signed_on = date_field(gettext_lazy("Signed on"))


class PaymentForm(PageForm):
    amount = forms.CharField(label=gettext_lazy("Amount (yuan)"), max_length=20,
                             widget=forms.TextInput(attrs=MONEY))
    paid_on = date_field(gettext_lazy("Paid on"))
    reference = forms.CharField(label=gettext_lazy("Voucher number"), max_length=60,
                                required=False)


class NoteForm(PageForm):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=500, required=False)


def pick_ids(raw: list[str]) -> list[int]:
    try:
        return [int(x) for x in raw]
    except ValueError:
        raise ValidationFailed("诉求编号无效", "Invalid need id", field="need_ids") from None
