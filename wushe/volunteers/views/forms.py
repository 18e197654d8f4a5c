"""Page forms of the volunteers app: they parse and show input; the rules live in services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wushe.regions.models import Region, RegionLevel
from wushe.volunteers.models import (
    ActivityKind,
    ActivityStatus,
    Availability,
    RecordStatus,
    ServiceArea,
    TargetGroup,
    Team,
    TeamLevel,
    VolunteerStatus,
)
from wushe.web import privatesearch
from wushe.web.forms import FilterForm, PageForm, set_choices

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def datetime_field(label: Any, required: bool = True) -> forms.DateTimeField:
    return forms.DateTimeField(label=label, required=required, input_formats=DATETIME_FORMATS,
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                          format="%Y-%m-%dT%H:%M"))


def date_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def indent_region(region: Region) -> str:
    depth = {RegionLevel.STREET: 0, RegionLevel.COMMUNITY: 1, RegionLevel.GRID: 2}.get(
        RegionLevel(region.level), 0)
    return "　" * depth + region.name


def indent_team(team: Team) -> str:
    return "　" * (len(team.path) // 4 - 1) + team.display_name


def team_choices(teams: list[Team], blank: Any = None) -> list[tuple[str, Any]]:
    head = [("", blank)] if blank is not None else []
    return head + [(str(t.pk), indent_team(t)) for t in teams]


class TeamForm(PageForm):
    name = forms.CharField(label=_("Team name"), max_length=100)
    brand = forms.CharField(label=_("Brand name"), max_length=60, required=False,
                            help_text=_("e.g. 生命花, 五色义工, 暖杨志愿, 小二郎"))
    level = forms.ChoiceField(label=_("Level"), choices=TeamLevel.choices)
    parent = forms.ChoiceField(label=_("Parent team"), required=False)
    region = forms.ChoiceField(label=_("Region"))
    description = forms.CharField(label=_("Description"), max_length=300, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, teams: list[Team], regions: list[Region],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "parent", team_choices(teams, _("None (a corps)")))
        set_choices(self, "region", [(r.code, indent_region(r)) for r in regions])


class TeamEditForm(PageForm):
    name = forms.CharField(label=_("Team name"), max_length=100)
    brand = forms.CharField(label=_("Brand name"), max_length=60, required=False)
    description = forms.CharField(label=_("Description"), max_length=300, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    active = forms.BooleanField(label=_("Active"), required=False)


class LeaderForm(PageForm):
    username = forms.CharField(label=_("Username of the leader's account"), max_length=150)


class Ticks(forms.CheckboxSelectMultiple):
    """Checkboxes as large, wrapping touch targets (PageForm would style them as text inputs)."""

    template_name = "volunteers/widgets/ticks.html"


class TickForm(PageForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field.widget, Ticks):
                field.widget.attrs.pop("class", None)


def _multi(choices: Any, label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(label=label, choices=choices, required=False,
                                     widget=Ticks)


class VolunteerForm(TickForm):
    team = forms.ChoiceField(label=_("Team"), required=False)
    region = forms.ChoiceField(label=_("Community"))
    name = forms.CharField(label=_("Name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=_("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False,
                             help_text=_("Separate tags with 、 or commas, e.g. 急救、心理咨询"))
    interests = _multi(ServiceArea.choices, _("Service interests"))
    availability = _multi(Availability.choices, _("Availability"))
    join_date = date_field(_("Join date"), required=False)
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=50, required=False)
    guardian_id_number = forms.CharField(label=_("Guardian's ID number"), max_length=30,
                                         required=False)
    guardian_relation = forms.CharField(label=_("Relation to the child"), max_length=20,
                                        required=False)

    def __init__(self, *args: Any, teams: list[Team], regions: list[Region],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", team_choices(teams, _("No team yet")))
        set_choices(self, "region", [(r.code, indent_region(r)) for r in regions])
        for name in ("guardian_name", "guardian_id_number", "guardian_relation"):
            self.fields[name].help_text = _("Only for a volunteer under 14.")


class VolunteerEditForm(TickForm):
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False)
    interests = _multi(ServiceArea.choices, _("Service interests"))
    availability = _multi(Availability.choices, _("Availability"))
    status = forms.ChoiceField(label=_("Status"), choices=VolunteerStatus.choices)


class JoinTeamForm(PageForm):
    team = forms.ChoiceField(label=_("Team"))

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", team_choices(teams))


class VolunteerFilterForm(FilterForm):
    q = forms.CharField(label=_("Search"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
                        help_text=_("Volunteer number, full ID number, or the start of a name"))
    team = forms.ChoiceField(label=_("Team"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    stars = forms.ChoiceField(label=_("Stars"), required=False)

    def __init__(self, *args: Any, teams: list[Team], via_url: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.via_url = via_url  # bound from a query string: no ID number there (#22)
        set_choices(self, "team", team_choices(teams, _("All teams")))
        set_choices(self, "status", [("", _("Any status")), *VolunteerStatus.choices])
        set_choices(self, "stars", [("", _("Any")),
                                    *((str(n), "★" * n if n else _("No star"))
                                      for n in range(6))])

    def clean_q(self) -> str:
        return privatesearch.refuse_in_url(self.cleaned_data.get("q") or "", self.via_url)


class RejectForm(PageForm):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class ActivityForm(TickForm):
    team = forms.ChoiceField(label=_("Organising team"))
    region = forms.ChoiceField(label=_("Where (community or street)"))
    title = forms.CharField(label=_("Title"), max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), choices=ActivityKind.choices)
    target_groups = _multi(TargetGroup.choices, _("Target groups"))
    place = forms.CharField(label=_("Place"), max_length=200)
    starts_at = datetime_field(_("Starts at"))
    ends_at = datetime_field(_("Ends at"))
    capacity = forms.IntegerField(label=_("Capacity"), min_value=1, max_value=10000)
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    risky = forms.BooleanField(label=_("Risky activity (needs an insurance note to open)"),
                               required=False)
    insurance_note = forms.CharField(label=_("Insurance note"), max_length=300, required=False,
                                     help_text=_("Policy, insurer and cover, e.g. 人保意外险 "
                                                 "保单号…"))

    def __init__(self, *args: Any, teams: list[Team], regions: list[Region],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", team_choices(teams))
        set_choices(self, "region", [(r.code, indent_region(r)) for r in regions])


class ActivityFilterForm(FilterForm):
    team = forms.ChoiceField(label=_("Team"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", team_choices(teams, _("All teams")))
        set_choices(self, "status", [("", _("Any status")), *ActivityStatus.choices])
        set_choices(self, "kind", [("", _("Any kind")), *ActivityKind.choices])


class SignUpForm(PageForm):
    number = forms.CharField(label=_("Volunteer number"), max_length=20)


class CheckOutForm(PageForm):
    hours = forms.CharField(label=_("Hours (blank: from check-in to now)"), max_length=8,
                            required=False)
    content = forms.CharField(label=_("Service content"), max_length=300, required=False)


class RecordForm(PageForm):
    team = forms.ChoiceField(label=_("Recording team"))
    number = forms.CharField(label=_("Volunteer number"), max_length=20)
    started_at = datetime_field(_("Started at"))
    ended_at = datetime_field(_("Ended at"))
    hours = forms.CharField(label=_("Hours"), max_length=8,
                            widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    content = forms.CharField(label=_("Service content"), max_length=300)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", team_choices(teams))


class CorrectForm(PageForm):
    hours = forms.CharField(label=_("Correct hours"), max_length=8)
    reason = forms.CharField(label=_("Reason for the correction"), max_length=200)


class CorrectionRequestForm(PageForm):
    proposed_hours = forms.CharField(label=_("Hours you actually served"), max_length=8)
    reason = forms.CharField(label=_("Why the record is wrong"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(PageForm):
    decision = forms.ChoiceField(label=_("Decision"), choices=[
        ("accept", _("Accept and correct")), ("reject", _("Reject"))])
    hours = forms.CharField(label=_("Hours (blank: as requested)"), max_length=8, required=False)
    note = forms.CharField(label=_("Note to the volunteer"), max_length=300, required=False)


class RecordFilterForm(FilterForm):
    status = forms.ChoiceField(label=_("Status"), required=False)
    team = forms.ChoiceField(label=_("Team"), required=False)
    start = date_field(_("From"), required=False)
    end = date_field(_("To"), required=False)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "status", [("", _("Any status")), *RecordStatus.choices])
        set_choices(self, "team", team_choices(teams, _("All teams")))


class CertificateForm(PageForm):
    team = forms.ChoiceField(label=_("Issuing team"))
    period_start = date_field(_("From"))
    period_end = date_field(_("To"))

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", team_choices(teams))


class PairingForm(PageForm):
    team = forms.ChoiceField(label=_("Responsible team"))
    person_id_number = forms.CharField(label=_("ID number of the person in care"), max_length=30,
                                       widget=forms.TextInput(attrs={"autocomplete": "off"}))
    target_group = forms.ChoiceField(label=_("Target group"), choices=TargetGroup.choices)
    number = forms.CharField(label=_("Paired volunteer's number (blank: the whole team)"),
                             max_length=20, required=False)
    needs = forms.CharField(label=_("Care needs"), max_length=1000, required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    started_on = date_field(_("Started on"), required=False)

    def __init__(self, *args: Any, teams: list[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team", team_choices(teams))


class VisitForm(PageForm):
    visited_on = date_field(_("Visited on"))
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=1440)
    number = forms.CharField(label=_("Visitor's volunteer number"), max_length=20,
                             required=False)
    content = forms.CharField(label=_("What was done"), max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))


class JoinForm(TickForm):
    """The public self-registration form: plain, large, one column on a phone."""

    name = forms.CharField(label=_("Your name"), max_length=50)
    id_number = forms.CharField(label=_("ID number"), max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off",
                                                              "inputmode": "text"}))
    phone = forms.CharField(label=_("Mobile phone"), max_length=30,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}))
    region = forms.ChoiceField(label=_("Your community"))
    team = forms.ChoiceField(label=_("Team you would like to join"), required=False)
    skills = forms.CharField(label=_("Skills"), max_length=300, required=False,
                             help_text=_("e.g. 急救、心理咨询、摄影"))
    interests = _multi(ServiceArea.choices, _("What you would like to do"))
    availability = _multi(Availability.choices, _("When you can serve"))
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=50, required=False)
    guardian_id_number = forms.CharField(label=_("Guardian's ID number"), max_length=30,
                                         required=False)
    guardian_phone = forms.CharField(label=_("Guardian's phone"), max_length=30, required=False)
    guardian_relation = forms.CharField(label=_("Relation to you"), max_length=20,
                                        required=False)
    consent = forms.BooleanField(
        label=_("I have read how my personal data will be used and agree (for under-14s: my "
                "guardian agrees)"), required=False)

    def __init__(self, *args: Any, regions: list[Region], teams: list[Team],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", [("", _("Choose…")),
                                     *((r.code, indent_region(r)) for r in regions)])
        set_choices(self, "team", team_choices(teams, _("Let the community decide")))
