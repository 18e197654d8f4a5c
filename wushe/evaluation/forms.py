"""Forms of the evaluation pages: they parse and show input; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.evaluation import survey
from wushe.evaluation.models import Decision, EvalStatus, Grade, Indicator, Party, Stage
from wushe.web.forms import FilterForm, PageForm

ANY = [("", _("All"))]


class EvalFilterForm(FilterForm):
    q = forms.CharField(label=_("Project or organisation"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None)
    stage = forms.ChoiceField(label=_("Stage"), required=False, choices=ANY + Stage.choices)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=ANY + EvalStatus.choices)
    grade = forms.ChoiceField(label=_("Grade"), required=False, choices=ANY + Grade.choices)
    decision = forms.ChoiceField(label=pgettext_lazy("evaluation", "Decision"), required=False,
                                 choices=ANY + Decision.choices)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = ANY + [(y, str(y)) for y in years]  # type: ignore[attr-defined]


class EvaluationCreateForm(PageForm):
    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    indicator_set = forms.TypedChoiceField(label=_("Indicator set"), coerce=int)

    def __init__(self, *args: Any, projects: list[Any], sets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [  # type: ignore[attr-defined]
            ("", "—")] + [(p.pk, f"{p.code} {p.name}") for p in projects]
        self.fields["indicator_set"].choices = [  # type: ignore[attr-defined]
            (s.pk, s.name) for s in sets]


class MemberAddForm(PageForm):
    party = forms.ChoiceField(label=_("Party"), choices=Party.choices)
    user = forms.TypedChoiceField(label=pgettext_lazy("evaluation", "Account"), required=False, coerce=int,
                                  empty_value=None,
                                  help_text=_("Required for the purchasing body, the "
                                              "town/street and the experts."))
    name = forms.CharField(label=_("Name"), required=False, max_length=60,
                           help_text=_("For a service recipient without an account, e.g. "
                                       "“resident representative 1”."))

    def __init__(self, *args: Any, candidates: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [("", "—")] + candidates  # type: ignore[attr-defined]


def score_field(ind: Indicator) -> str:
    return f"score_{ind.pk}"


def comment_field(ind: Indicator) -> str:
    return f"comment_{ind.pk}"


class ScoreForm(PageForm):
    """One score and one comment per indicator; the service checks them again."""

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for ind in indicators:
            self.fields[score_field(ind)] = forms.DecimalField(
                label=ind.name, min_value=Decimal(0), max_value=ind.max_score, decimal_places=1,
                max_digits=5, help_text=_("0 to %(max)s") % {"max": f"{ind.max_score:g}"},
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}))
            self.fields[comment_field(ind)] = forms.CharField(
                label=_("Comment"), required=False, max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}))
        # The fields came after the base class styled the widgets: style them too.
        for name in self.fields:
            widget = self.fields[name].widget
            if "form-control" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} form-control".strip()

    def rows(self) -> list[tuple[Indicator, Any, Any]]:
        return [(ind, self[score_field(ind)], self[comment_field(ind)]) for ind in self.indicators]

    def as_scores(self) -> dict[int, tuple[object, object]]:
        d = self.cleaned_data
        return {ind.pk: (d[score_field(ind)], d[comment_field(ind)]) for ind in self.indicators}


class DecisionForm(PageForm):
    decision = forms.ChoiceField(label=pgettext_lazy("evaluation", "Decision"),
                                 choices=Decision.choices)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("Required when the decision differs from the "
                                         "suggested one."))


class SurveyForm(PageForm):
    comment = forms.CharField(label=_("Anything else you want to tell us (optional)"),
                              required=False, max_length=500,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Please do not write your name, phone number or "
                                          "address."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        questions = {}
        for i, text in enumerate(survey.QUESTIONS, start=1):
            questions[f"q{i}"] = forms.TypedChoiceField(
                label=text, coerce=int, choices=survey.SCALE,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
        self.fields = {**questions, **self.fields}

    def answers(self) -> list[int]:
        return [self.cleaned_data[f"q{i}"] for i in range(1, len(survey.QUESTIONS) + 1)]


class IndicatorSetForm(PageForm):
    """A new sheet: one indicator per line, ``dimension | name | maximum | English name``."""

    name = forms.CharField(label=_("Name of the indicator set"), max_length=100)
    lines = forms.CharField(
        label=_("Indicators"), widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("One per line: dimension | indicator | maximum score | English name "
                    "(optional). Dimensions: process, effectiveness, benefit, other "
                    "(or 过程管理, 服务成效, 社会效益, 其他)."))
    make_default = forms.BooleanField(label=_("Use it for new evaluations"), required=False)

    DIMENSIONS = {"过程管理": "process", "服务成效": "effectiveness", "社会效益": "benefit",
                  "其他": "other"}

    def indicators(self) -> list[dict[str, str]]:
        out = []
        for line in self.cleaned_data["lines"].splitlines():
            if not line.strip():
                continue
            parts = [p.strip() for p in line.replace("｜", "|").split("|")]
            parts += [""] * (4 - len(parts))
            out.append({"dimension": self.DIMENSIONS.get(parts[0], parts[0]), "name": parts[1],
                        "max_score": parts[2], "name_en": parts[3]})
        return out
