"""Page forms of the supervision app: parse input; the rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from wushe.regions.models import Region
from wushe.supervision.models import CheckResult, Kind, RectificationStatus, Tier
from wushe.web.forms import FilterForm, PageForm, blank_first, date_field, indent, set_choices

NUMERIC = forms.TextInput(attrs={"inputmode": "decimal"})
NOTE = forms.Textarea(attrs={"rows": 2})
SESSION_CHOICES = [(Kind.CENTRALISED.value, Kind.CENTRALISED.label),
                   (Kind.CONSULTATION.value, Kind.CONSULTATION.label)]
VISIT_CHOICES = [(k.value, k.label) for k in (Kind.MONTHLY, Kind.QUARTERLY, Kind.HALFYEAR)]


def _regions(regions: list[Region]) -> list[tuple[str, str]]:
    return [(r.code, indent(r)) for r in regions]


class VisitFilterForm(FilterForm):
    """Kind, tier and region: the calendar, the overdue list and the records share them."""

    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    tier = forms.ChoiceField(label=gettext_lazy("Tier"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "kind", blank_first(_("All kinds"), Kind.choices))
        set_choices(self, "tier", blank_first(_("Both tiers"), Tier.choices))
        set_choices(self, "region", blank_first(_("All my area"), _regions(regions)))


class CalendarForm(VisitFilterForm):
    year = forms.IntegerField(required=False, min_value=2000, max_value=2100,
                              widget=forms.HiddenInput)
    month = forms.IntegerField(required=False, min_value=1, max_value=12,
                               widget=forms.HiddenInput)


class RecordFilterForm(VisitFilterForm):
    date_from = date_field(gettext_lazy("From"), required=False)
    date_to = date_field(gettext_lazy("To"), required=False)


class VisitListForm(RecordFilterForm):
    state = forms.ChoiceField(label=gettext_lazy("Status"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "state", blank_first(_("All"), [
            ("planned", _("Planned")), ("done", _("Done")),
            ("overdue", pgettext("supervision", "Overdue")), ("missed", _("Missed"))]))


class RecordForm(PageForm):
    """A visit that took place: the date, the four checks, the findings."""

    done_on = date_field(gettext_lazy("Date of the visit"))
    progress_result = forms.ChoiceField(
        label=gettext_lazy("Progress against the project's indicators"),
        choices=CheckResult.choices, widget=forms.RadioSelect)
    progress_note = forms.CharField(label=gettext_lazy("Note on progress"), required=False,
                                    max_length=2000, widget=NOTE)
    spending_result = forms.ChoiceField(label=gettext_lazy("Spending against the budget"),
                                        choices=CheckResult.choices, widget=forms.RadioSelect)
    spent_amount = forms.CharField(label=gettext_lazy("Amount spent so far (yuan)"),
                                   required=False, max_length=20, widget=NUMERIC)
    spending_note = forms.CharField(label=gettext_lazy("Note on spending"), required=False,
                                    max_length=2000, widget=NOTE)
    staffing_result = forms.ChoiceField(label=gettext_lazy("Staff on post"),
                                        choices=CheckResult.choices, widget=forms.RadioSelect)
    staff_on_post = forms.CharField(label=gettext_lazy("Number of staff found on post"),
                                    required=False, max_length=5, widget=NUMERIC)
    staffing_note = forms.CharField(label=gettext_lazy("Note on staffing"), required=False,
                                    max_length=2000, widget=NOTE)
    outcomes_result = forms.ChoiceField(label=gettext_lazy("Outcomes"),
                                        choices=CheckResult.choices, widget=forms.RadioSelect)
    outcomes_note = forms.CharField(label=gettext_lazy("Note on outcomes"), required=False,
                                    max_length=2000, widget=NOTE)
    findings = forms.CharField(label=gettext_lazy("Findings"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["done_on"].initial = dt.date.today()
        for name in ("progress_result", "spending_result", "staffing_result",
                     "outcomes_result"):
            # Radios are laid out by Bootstrap's form-check, not form-select.
            self.fields[name].widget.attrs["class"] = "form-check-input"


class RescheduleForm(PageForm):
    scheduled_on = date_field(gettext_lazy("New date"))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500, widget=NOTE)


class MissForm(PageForm):
    reason = forms.CharField(label=gettext_lazy("Why the visit did not take place"),
                             max_length=500, widget=NOTE)


class RectificationForm(PageForm):
    item = forms.CharField(label=gettext_lazy("Item to rectify"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))
    due_on = date_field(gettext_lazy("Due date"))


class RectificationCloseForm(PageForm):
    closed_on = date_field(gettext_lazy("Closing date"))
    note_text = forms.CharField(label=gettext_lazy("How it was put right"), max_length=2000,
                                widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].initial = dt.date.today()


class RectificationFilterForm(FilterForm):
    state = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "state", [("overdue", pgettext("supervision", "Overdue")),
                                    *RectificationStatus.choices, ("all", _("All"))])
        set_choices(self, "region", blank_first(_("All my area"), _regions(regions)))


class SessionFilterForm(FilterForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000,
                              max_value=2100)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "kind", blank_first(_("Both kinds"), SESSION_CHOICES))
        set_choices(self, "region", blank_first(_("All my area"), _regions(regions)))


class SessionForm(PageForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SESSION_CHOICES)
    held_on = date_field(gettext_lazy("Date"))
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    project = forms.CharField(
        label=gettext_lazy("Project code"), required=False, max_length=20,
        help_text=gettext_lazy("Only when the session concerns one project; its region is used."))
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=200)
    participants = forms.CharField(label=gettext_lazy("Participants"), max_length=6,
                                   widget=NUMERIC)
    organisations = forms.CharField(label=gettext_lazy("Organisations taking part"),
                                    required=False, max_length=5, widget=NUMERIC)
    findings = forms.CharField(label=gettext_lazy("Notes"), required=False, max_length=5000,
                               widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", blank_first("—", _regions(regions)))
        self.fields["held_on"].initial = dt.date.today()
