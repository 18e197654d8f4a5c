"""Page forms of cadre adjustments: parse input; the rules live in services/adjustments.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.web.forms import FilterForm, PageForm, blank_first, date_field, set_choices
from wushe.workforce.ladder import Ladder
from wushe.workforce.models import AdjustmentKind, AdjustmentState

NUMBER = forms.TextInput(attrs={"inputmode": "numeric"})


class AdjustmentFilterForm(FilterForm):
    year = forms.ChoiceField(label=gettext_lazy("Year"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "year", blank_first(_("All years"), [(str(y), str(y)) for y in years]))
        set_choices(self, "kind", blank_first(_("All kinds"), AdjustmentKind.choices))
        set_choices(self, "state", blank_first(_("All states"), AdjustmentState.choices))


def _kind_choices(kinds: list[str]) -> list[tuple[str, Any]]:
    return [(k, label) for k, label in AdjustmentKind.choices if k in kinds]


class ProposeForm(PageForm):
    kind = forms.ChoiceField(label=gettext_lazy("Adjustment"))
    new_post = forms.ChoiceField(label=gettext_lazy("New post (for a transfer)"), required=False)
    steps = forms.CharField(label=gettext_lazy("Grades down (for a demotion)"), max_length=2,
                            required=False, widget=NUMBER)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, kinds: list[str], ladder: Ladder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "kind", _kind_choices(kinds))
        set_choices(self, "new_post", blank_first(
            _("No change"), [(str(p.number), p.name) for p in ladder.posts]))


class DecisionForm(PageForm):
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False,
                           widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(PageForm):
    note = forms.CharField(label=gettext_lazy("Reason for sending it back"), max_length=300,
                           widget=forms.Textarea(attrs={"rows": 3}))


class ProcedureForm(PageForm):
    kind = forms.ChoiceField(label=gettext_lazy("Procedure"))
    procedure_on = date_field(gettext_lazy("Date of the assembly or the resignation"))
    minutes = forms.CharField(label=gettext_lazy("Minutes or letter of resignation (reference)"),
                              max_length=150)
    votes_eligible = forms.CharField(label=gettext_lazy("Registered voters (recall)"),
                                     max_length=7, required=False, widget=NUMBER)
    votes_cast = forms.CharField(label=gettext_lazy("Votes cast (recall)"), max_length=7,
                                 required=False, widget=NUMBER)
    votes_for = forms.CharField(label=gettext_lazy("Votes for the recall"), max_length=7,
                                required=False, widget=NUMBER)
    reason = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)

    def __init__(self, *args: Any, kinds: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "kind", _kind_choices(kinds))
