"""Incubation pages (问题梳理、及时解决、定期跟踪、实地督导) and capacity assessment."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied, WusheError
from wushe.orgs import access, forms, selectors, services, workflow
from wushe.orgs.models import AREAS, Incubation
from wushe.orgs.views.common import action_page, filter_regions
from wushe.regions.models import SiteKind
from wushe.regions.selectors import region_get, site_list
from wushe.web.pages import add_service_error, breadcrumb, paginate, render_page

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _bases(actor: Actor) -> list[Any]:
    return list(site_list(actor=actor, kind=SiteKind.INCUBATOR).filter(active=True))


@login_required
@never_cache
@require_GET
def incubation_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, access.VIEW):
        raise PermissionDenied()
    bases = _bases(actor)
    form = forms.IncubationFilterForm(request.GET or None, bases=bases)
    filters = selectors.IncubationFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.IncubationFilters(base_id=int(d["base"]) if d["base"] else None,
                                              stage=d["stage"], overdue=d["overdue"])
    page = paginate(request, selectors.incubation_list(actor=actor, filters=filters))
    for inc in page.object_list:
        inc.due = selectors.follow_up_due(inc)
    return render_page(request, "orgs/incubations.html", {
        "form": form, "page": page, "tab": "incubation", "today": dt.date.today(),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@never_cache
@require_GET
def incubation_detail(request: HttpRequest, incubation_id: int) -> HttpResponse:
    actor = request.user
    incubation = selectors.incubation_get(actor=actor, incubation_id=incubation_id)
    org = incubation.org
    can_manage = access.can_manage(actor, org)
    return render_page(request, "orgs/incubation.html", {
        "inc": incubation, "org": org, "tab": "incubation",
        "breadcrumb": breadcrumb(actor, org.region),
        "issues": selectors.incubation_issues(actor=actor, incubation=incubation),
        "follow_ups": selectors.incubation_follow_ups(actor=actor, incubation=incubation),
        "due": selectors.follow_up_due(incubation), "today": dt.date.today(),
        "blockers": selectors.graduation_blockers(incubation) if incubation.open else [],
        "stages": workflow.allowed_stages(incubation.stage),
        "can_manage": can_manage and incubation.open,
    })


def _incubation(request: HttpRequest, incubation_id: int) -> Incubation:
    incubation = selectors.incubation_get(actor=request.user, incubation_id=incubation_id)
    access.require_manage(request.user, incubation.org)
    return incubation


def _back(incubation: Incubation, anchor: str = "") -> str:
    url = reverse("orgs:incubation", kwargs={"incubation_id": incubation.pk})
    return url + (f"#{anchor}" if anchor else "")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def incubation_start(request: HttpRequest, org_id: int) -> HttpResponse:
    actor = request.user
    org = selectors.org_get(actor=actor, org_id=org_id)
    access.require_manage(actor, org)
    existing = selectors.incubation_of(actor=actor, org=org)
    if existing is not None:
        return redirect("orgs:incubation", incubation_id=existing.pk)
    bases = _bases(actor)
    form = forms.IncubationStartForm(request.POST or None, bases=bases)

    def call(d: dict[str, Any]) -> Incubation:
        base = next(b for b in bases if str(b.pk) == d["base"])
        return services.incubation_start(actor=actor, org=org, base=base, mentor=d["mentor"],
                                         started_on=d["started_on"])

    return action_page(
        request, form=form, call=call,
        back=reverse("orgs:detail", kwargs={"org_id": org.pk}),
        title=_("Enter %(name)s into an incubation base") % {"name": org.name},
        done=_("The organisation has entered the base."), submit_label=_("Enter the base"),
        context={"org": org}, after=reverse("orgs:incubations"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def incubation_mentor(request: HttpRequest, incubation_id: int) -> HttpResponse:
    inc = _incubation(request, incubation_id)
    return action_page(
        request, form=forms.MentorForm(request.POST or None, initial={"mentor": inc.mentor}),
        call=lambda d: services.incubation_update(actor=request.user, incubation=inc, **d),
        back=_back(inc), title=_("Mentor of %(name)s") % {"name": inc.org.name},
        done=_("The changes have been saved."), submit_label=_("Save"), context={"org": inc.org})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def incubation_stage(request: HttpRequest, incubation_id: int) -> HttpResponse:
    inc = _incubation(request, incubation_id)
    form = forms.StageForm(request.POST or None, allowed=workflow.allowed_stages(inc.stage))
    return action_page(
        request, form=form, back=_back(inc),
        call=lambda d: services.incubation_advance(actor=request.user, incubation=inc, **d),
        title=_("Move %(name)s to its next stage") % {"name": inc.org.name},
        done=_("The stage has been changed."), submit_label=_("Change stage"),
        context={"org": inc.org, "blockers": selectors.graduation_blockers(inc)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def issue_add(request: HttpRequest, incubation_id: int) -> HttpResponse:
    inc = _incubation(request, incubation_id)
    return action_page(
        request, form=forms.IssueForm(request.POST or None), back=_back(inc, "issues"),
        call=lambda d: services.issue_record(actor=request.user, incubation=inc, **d),
        title=_("Record an issue of %(name)s") % {"name": inc.org.name},
        done=_("The issue has been recorded."), submit_label=_("Record"), context={"org": inc.org})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def issue_resolve(request: HttpRequest, issue_id: int) -> HttpResponse:
    issue = selectors.issue_get(actor=request.user, issue_id=issue_id)
    inc = issue.incubation
    access.require_manage(request.user, inc.org)
    return action_page(
        request, form=forms.ResolveForm(request.POST or None), back=_back(inc, "issues"),
        call=lambda d: services.issue_resolve(actor=request.user, issue=issue, **d),
        title=_("Resolve: %(issue)s") % {"issue": issue.description},
        done=_("The issue is resolved."), submit_label=_("Mark resolved"), context={"org": inc.org})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def follow_up_add(request: HttpRequest, incubation_id: int) -> HttpResponse:
    inc = _incubation(request, incubation_id)
    form = forms.FollowUpForm(request.POST or None,
                              initial={"kind": request.GET.get("kind", "follow_up")})
    return action_page(
        request, form=form, back=_back(inc, "follow-ups"),
        call=lambda d: services.follow_up_record(actor=request.user, incubation=inc, **d),
        title=_("Record a follow-up of %(name)s") % {"name": inc.org.name},
        done=_("The follow-up has been recorded."), submit_label=_("Record"),
        context={"org": inc.org})


# --- capacity -------------------------------------------------------------------------------

@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def assessment_add(request: HttpRequest, org_id: int) -> HttpResponse:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    access.require_manage(request.user, org)
    keys = [k for k, _label in AREAS]

    def call(d: dict[str, Any]) -> Any:
        return services.assessment_record(
            actor=request.user, org=org, assessed_on=d["assessed_on"], assessor=d["assessor"],
            evidence=d["evidence"], scores={k: d[k] for k in keys})

    return action_page(
        request, form=forms.AssessmentForm(request.POST or None), call=call,
        back=reverse("orgs:detail", kwargs={"org_id": org.pk}) + "#capacity",
        title=_("Capacity assessment of %(name)s") % {"name": org.name},
        done=_("The assessment has been recorded."), submit_label=_("Record the assessment"),
        context={"org": org})


@login_required
@never_cache
@require_GET
def capacity_overview(request: HttpRequest) -> HttpResponse:
    """The seven areas across a street, weakest first, from each organisation's latest
    assessment."""
    actor = request.user
    if not scope.has_perm(actor, access.VIEW):
        raise PermissionDenied()
    form = forms.CapacityFilterForm(request.GET or None, regions=filter_regions(actor))
    region = None
    status = 200
    try:
        if form.is_bound and form.is_valid() and form.cleaned_data["region"]:
            region = region_get(actor=actor, code=form.cleaned_data["region"])
        figures, covered = selectors.capacity_weakest(actor=actor, region=region)
    except WusheError as exc:
        add_service_error(form, exc)
        figures, covered, status = [], 0, exc.status
    if form.errors:
        status = 400
    chart = {"labels": [str(f.label) for f in figures],
             "values": [float(f.average) if f.average is not None else None for f in figures],
             "name": _("Average score")}
    return render_page(request, "orgs/capacity.html", {
        "form": form, "figures": figures, "covered": covered, "region": region, "tab": "capacity",
        "chart": chart,
    }, status=status)
