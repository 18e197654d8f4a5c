"""Page forms of the workforce app: parse input; rules live in the services."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.regions.models import Region, Site, SiteKind
from wushe.web.forms import FilterForm, PageForm, blank_first, date_field, indent, set_choices
from wushe.workforce.ladder import Ladder
from wushe.workforce.models import (
    AppraisalResult,
    CertificateLevel,
    Education,
    ElectedRole,
    Engagement,
    TrainingKind,
    WorkerStatus,
)

NUMERIC = forms.TextInput(attrs={"inputmode": "decimal"})


def _regions(regions: list[Region]) -> list[tuple[str, str]]:
    return [(r.code, indent(r)) for r in regions]


class WorkerFilterForm(FilterForm):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=40,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "status", blank_first(_("All statuses"), WorkerStatus.choices))
        set_choices(self, "region", blank_first(_("All my area"), _regions(regions)))


class SocialWorkerFilterForm(WorkerFilterForm):
    level = forms.ChoiceField(label=gettext_lazy("Certificate"), required=False)
    placed = forms.ChoiceField(label=gettext_lazy("Placement"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Start of the name, or a full certificate number")
        set_choices(self, "level", blank_first(_("Any"), [("certified", _("Certified (any level)")),
                                                     *CertificateLevel.choices]))
        set_choices(self, "placed", blank_first(_("Any"), [
            ("yes", _("Placed at a site")), ("no", _("Not placed")),
            (SiteKind.SW_CENTRE, _("District centre")), (SiteKind.SW_STATION, _("Street station")),
            (SiteKind.SW_ROOM, _("Community room"))]))


class CommunityWorkerFilterForm(WorkerFilterForm):
    post = forms.ChoiceField(label=gettext_lazy("Post"), required=False)

    def __init__(self, *args: Any, ladder: Ladder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["q"].help_text = _("Start of the name")
        set_choices(self, "post", blank_first(_("All posts"),
                                         [(str(p.number), p.name) for p in ladder.posts]))


class PersonFields(PageForm):
    """Who the worker is: found by ID number in your area, or registered where they live."""

    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    residence = forms.ChoiceField(label=gettext_lazy("Community of residence"), required=False)

    def __init__(self, *args: Any, residences: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "residence", blank_first("—", _regions(residences)))
        self.fields["residence"].help_text = _(
            "Only needed when the person is not registered yet.")


class SocialWorkerEditForm(PageForm):
    region = forms.ChoiceField(label=gettext_lazy("Region of work"), required=False)
    site = forms.ChoiceField(label=gettext_lazy("Placement site"), required=False)
    employer = forms.CharField(
        label=gettext_lazy("Employer"), max_length=40, required=False,
        help_text=gettext_lazy("The employing organisation's credit code or filing number."))
    certificate_level = forms.ChoiceField(label=gettext_lazy("Certificate level"),
                                          choices=CertificateLevel.choices)
    certificate_number = forms.CharField(label=gettext_lazy("Certificate number"),
                                         max_length=30, required=False)
    certified_on = date_field(gettext_lazy("Certified on"), required=False)
    hired_on = date_field(gettext_lazy("Hired on"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=WorkerStatus.choices)

    def __init__(self, *args: Any, regions: list[Region], sites: list[Site],
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", blank_first("—", _regions(regions)))
        set_choices(self, "site", blank_first(_("Not placed"), [(str(s.pk), s.name) for s in sites]))
        self.fields["region"].help_text = _("Taken from the site when the worker is placed.")


class SocialWorkerForm(PersonFields, SocialWorkerEditForm):
    field_order = ["id_number", "name", "phone", "residence"]


class TrainingForm(PageForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=TrainingKind.choices)
    title = forms.CharField(label=gettext_lazy("Title"), max_length=150)
    hours = forms.CharField(label=gettext_lazy("Hours"), max_length=6, widget=NUMERIC)
    on = date_field(gettext_lazy("Date"))
    provider = forms.CharField(label=gettext_lazy("Provider"), max_length=150, required=False)


class TrainingFilterForm(FilterForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000,
                              max_value=2100)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    below = forms.BooleanField(label=gettext_lazy("Below the yearly minimum only"),
                               required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = dt.date.today().year
        set_choices(self, "region", blank_first(_("All my area"), _regions(regions)))


class CommunityWorkerEditForm(PageForm):
    community = forms.ChoiceField(label=gettext_lazy("Community"))
    education = forms.ChoiceField(label=gettext_lazy("Education"), choices=Education.choices)
    hired_on = date_field(gettext_lazy("Hired on"))
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=WorkerStatus.choices)

    def __init__(self, *args: Any, communities: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "community", _regions(communities))


class CommunityWorkerUpdateForm(CommunityWorkerEditForm):
    """The edit form: the record, plus how the worker holds the job and the linked account."""

    engagement = forms.ChoiceField(label=gettext_lazy("Engagement"), choices=Engagement.choices)
    elected_role = forms.ChoiceField(label=gettext_lazy("Elected role"), required=False,
                                     choices=[("", "—"), *ElectedRole.choices])
    term_start = date_field(gettext_lazy("Term starts"), required=False)
    term_end = date_field(gettext_lazy("Term ends"), required=False)
    account = forms.CharField(label=gettext_lazy("Account (user name)"), max_length=150,
                              required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term_end"].help_text = _(
            "Elected members only. Leave the end blank for a five-year term.")
        self.fields["account"].help_text = _(
            "The worker's own account in this community; its role grants follow an adjustment.")


class CommunityWorkerForm(PersonFields, CommunityWorkerEditForm):
    field_order = ["id_number", "name", "phone", "residence", "community", "post", "grade"]
    post = forms.ChoiceField(label=gettext_lazy("Post"))
    grade = forms.CharField(label=gettext_lazy("Grade"), max_length=3, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args: Any, ladder: Ladder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "post", [(str(p.number), f"{p.name} ({p.lowest}–{p.highest})")
                                   for p in ladder.posts])
        self.fields["grade"].help_text = _(
            "Leave blank for the grade the ladder suggests (education and years of service).")


class RegradeForm(PageForm):
    post = forms.ChoiceField(label=gettext_lazy("Post"))
    grade = forms.CharField(label=gettext_lazy("Grade"), max_length=3,
                            widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300)

    def __init__(self, *args: Any, ladder: Ladder, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "post", [(str(p.number), f"{p.name} ({p.lowest}–{p.highest})")
                                   for p in ladder.posts])


class AppraisalForm(PageForm):
    year = forms.CharField(label=gettext_lazy("Year"), max_length=4,
                           initial=lambda: dt.date.today().year - 1,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=AppraisalResult.choices)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class StaffingFilterForm(FilterForm):
    street = forms.ChoiceField(label=gettext_lazy("Street or town"), required=False)
    short = forms.BooleanField(label=gettext_lazy("Communities short of staff only"),
                               required=False)

    def __init__(self, *args: Any, streets: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "street", blank_first(_("All my area"),
                                           [(s.code, s.name) for s in streets]))
