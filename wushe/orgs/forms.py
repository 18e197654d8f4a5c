"""Page forms of the organisations app. They parse input; the services hold the rules and
their refusals land next to the field they concern (web.pages.submit)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wushe.orgs.models import (
    AREAS,
    AgreementPurpose,
    Category,
    FollowUpKind,
    IncubationStage,
    LegalForm,
    OrgStatus,
)
from wushe.regions.models import Region, Site
from wushe.web.forms import FilterForm, PageForm, blank_first, date_field, indent, set_choices

NUMERIC = {"inputmode": "decimal"}


class OrgFilterForm(FilterForm):
    q = forms.CharField(label=gettext_lazy("Search"), required=False, max_length=60,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
                        help_text=gettext_lazy("Part of the name, or a full credit code or "
                                               "filing number"))
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    grade = forms.ChoiceField(label=gettext_lazy("Rating"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", blank_first(_("All categories"), Category.choices))
        set_choices(self, "status", blank_first(_("All statuses"), OrgStatus.choices))
        set_choices(self, "grade", blank_first(_("Any rating"), [
            *((str(g), f"{g}A") for g in range(5, 0, -1)), ("none", _("Not rated"))]))
        set_choices(self, "region", blank_first(_("All my area"),
                                           [(r.code, indent(r)) for r in regions]))


class ProfileForm(PageForm):
    """The fields of a filing or a registration; which are required depends on the status."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    credit_code = forms.CharField(label=gettext_lazy("Unified social credit code"),
                                  max_length=30, required=False,
                                  widget=forms.TextInput(attrs={"autocomplete": "off"}))
    legal_form = forms.ChoiceField(label=gettext_lazy("Legal form"), required=False)
    registered_on = date_field(gettext_lazy("Registered on"), required=False)
    person_in_charge = forms.CharField(label=gettext_lazy("Person in charge"), max_length=50,
                                       required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=30,
                                    required=False,
                                    widget=forms.TextInput(attrs={"type": "tel",
                                                                  "autocomplete": "off"}))
    venue = forms.CharField(label=gettext_lazy("Venue"), max_length=200, required=False)
    activity_area = forms.CharField(label=gettext_lazy("Activity area"), max_length=200,
                                    required=False)
    funds = forms.CharField(label=gettext_lazy("Funds (yuan)"), max_length=20, required=False,
                            widget=forms.TextInput(attrs=NUMERIC))
    funds_source = forms.CharField(label=gettext_lazy("Source of funds"), max_length=200,
                                   required=False)
    founded_on = date_field(gettext_lazy("Founded on"), required=False)
    charter = forms.CharField(label=gettext_lazy("Charter"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 4}))
    summary = forms.CharField(label=gettext_lazy("Services offered"), max_length=2000,
                              required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, own_only: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", blank_first(_("No category (community organisation)"),
                                             Category.choices))
        set_choices(self, "legal_form", blank_first("—", LegalForm.choices))
        self.fields["contact_phone"].help_text = _("Stored encrypted; shown masked.")
        if own_only:  # an organisation's own staff: registration details are the office's
            for name in ("name", "category", "credit_code", "legal_form", "registered_on"):
                del self.fields[name]


class OrgCreateForm(ProfileForm):
    status = forms.ChoiceField(label=gettext_lazy("Kind of record"))
    region = forms.ChoiceField(label=gettext_lazy("Region (supervising street or community "
                                                  "for a filing)"))
    field_order = ["status", "region", "name"]

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "status", [
            (OrgStatus.FILED, _("Filing of a community organisation (备案)")),
            (OrgStatus.REGISTERED, _("Registered organisation (登记, with a credit code)")),
            (OrgStatus.INCUBATING, _("Organisation in incubation (not yet filed or registered)")),
        ])
        set_choices(self, "region", [(r.code, indent(r)) for r in regions])
        self.order_fields(self.field_order)


class TransitionForm(PageForm):
    to = forms.ChoiceField(label=gettext_lazy("New status"))
    on = date_field(gettext_lazy("Effective on"), required=False)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=300, required=False,
                             help_text=gettext_lazy("Required to suspend or eliminate."))
    credit_code = forms.CharField(label=gettext_lazy("Unified social credit code"),
                                  max_length=30, required=False,
                                  help_text=gettext_lazy("Needed to move to registered."))
    registered_on = date_field(gettext_lazy("Registered on"), required=False)

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "to", [(s, OrgStatus(s).label) for s in allowed])


class RatingForm(PageForm):
    score = forms.CharField(label=gettext_lazy("Evaluation score (of 1,000)"), max_length=8,
                            widget=forms.TextInput(attrs=NUMERIC))
    awarded_on = date_field(gettext_lazy("Awarded on"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False)


class MemberForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    post = forms.CharField(label=gettext_lazy("Post"), max_length=30, required=False)
    joined_on = date_field(gettext_lazy("Joined on"), required=False)


class ProjectForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Project name"), max_length=100)
    summary = forms.CharField(label=gettext_lazy("Summary"), max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    started_on = date_field(gettext_lazy("Started on"), required=False)
    beneficiaries = forms.CharField(label=gettext_lazy("People served"), max_length=10,
                                    required=False, widget=forms.TextInput(attrs=NUMERIC))


class HonourForm(PageForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100, initial="优质社会组织")
    year = forms.CharField(label=gettext_lazy("Year"), max_length=4,
                           initial=lambda: dt.date.today().year,
                           widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    awarded_by = forms.CharField(label=gettext_lazy("Awarded by"), max_length=100,
                                 required=False, initial="四方评估委员会")


class UnmaskForm(PageForm):
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200,
                              help_text=gettext_lazy("Recorded with your name in the access log."))


class AgreementForm(PageForm):
    """An entrusted-processing agreement (PIPL Art. 21); the service checks dates, purposes
    and the document (its size before it is read, its kind by its first bytes)."""

    starts_on = date_field(gettext_lazy("In force from"))
    ends_on = date_field(gettext_lazy("In force until"))
    purposes = forms.MultipleChoiceField(label=gettext_lazy("Purposes of processing"),
                                         choices=AgreementPurpose.choices,
                                         widget=forms.CheckboxSelectMultiple)
    document = forms.FileField(label=gettext_lazy("Signed agreement (PDF, PNG or JPEG, 10 MB "
                                                  "at most)"),
                               required=False)


# --- incubation -----------------------------------------------------------------------------

class IncubationStartForm(PageForm):
    base = forms.ChoiceField(label=gettext_lazy("Incubation base"))
    mentor = forms.CharField(label=gettext_lazy("Mentor"), max_length=50, required=False)
    started_on = date_field(gettext_lazy("Entered on"), required=False)

    def __init__(self, *args: Any, bases: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "base", [(str(b.pk), b.name) for b in bases])


class MentorForm(PageForm):
    mentor = forms.CharField(label=gettext_lazy("Mentor"), max_length=50, required=False)


class IssueForm(PageForm):
    area = forms.ChoiceField(label=gettext_lazy("Area"), choices=list(AREAS))
    description = forms.CharField(label=gettext_lazy("Issue found"), max_length=300)
    found_on = date_field(gettext_lazy("Found on"), required=False)


class ResolveForm(PageForm):
    resolution = forms.CharField(label=gettext_lazy("How it was resolved"), max_length=300)
    resolved_on = date_field(gettext_lazy("Resolved on"), required=False)


class FollowUpForm(PageForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=FollowUpKind.choices)
    on = date_field(gettext_lazy("Date"), required=False)
    notes = forms.CharField(label=gettext_lazy("Notes"), max_length=500,
                            widget=forms.Textarea(attrs={"rows": 3}))


class StageForm(PageForm):
    stage = forms.ChoiceField(label=gettext_lazy("Next stage"))
    on = date_field(gettext_lazy("Date"), required=False)
    note = forms.CharField(label=gettext_lazy("Note"), max_length=300, required=False,
                           help_text=gettext_lazy("Required to withdraw."))

    def __init__(self, *args: Any, allowed: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "stage", [(s, IncubationStage(s).label) for s in allowed])


class IncubationFilterForm(FilterForm):
    base = forms.ChoiceField(label=gettext_lazy("Incubation base"), required=False)
    stage = forms.ChoiceField(label=gettext_lazy("Stage"), required=False)
    overdue = forms.BooleanField(label=gettext_lazy("Follow-up overdue only"), required=False)

    def __init__(self, *args: Any, bases: list[Site], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "base", blank_first(_("All bases"), [(str(b.pk), b.name) for b in bases]))
        set_choices(self, "stage", blank_first(_("All stages"), IncubationStage.choices))


# --- capacity -------------------------------------------------------------------------------

class AssessmentForm(PageForm):
    assessed_on = date_field(gettext_lazy("Assessed on"), required=False)
    assessor = forms.CharField(label=gettext_lazy("Assessor"), max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, label in AREAS:
            self.fields[key] = forms.CharField(label=label, max_length=5,
                                               widget=forms.TextInput(attrs=NUMERIC),
                                               help_text=_("0 to 100"))
        self.fields["evidence"] = forms.CharField(
            label=_("Evidence"), max_length=3000, required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text=_("Documents seen, visits made, who was interviewed."))
        # Added after PageForm styled the declared fields: style these the same way.
        for key in [*(k for k, _label in AREAS), "evidence"]:
            self.fields[key].widget.attrs["class"] = "form-control"


class CapacityFilterForm(FilterForm):
    region = forms.ChoiceField(label=gettext_lazy("Street or community"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", blank_first(_("All my area"),
                                           [(r.code, indent(r)) for r in regions]))
