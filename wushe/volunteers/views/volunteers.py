"""Volunteer pages: list with filters, profile (masked), register, edit, teams, applications."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied, WusheError
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import regions_where
from wushe.volunteers import access, selectors, services
from wushe.volunteers.models import ApplicationStatus
from wushe.volunteers.services import GuardianSpec, Registration
from wushe.volunteers.views.common import region_by_code, required_team, team_from, team_regions
from wushe.volunteers.views.forms import (
    JoinTeamForm,
    RejectForm,
    VolunteerEditForm,
    VolunteerFilterForm,
    VolunteerForm,
)
from wushe.web import privatesearch
from wushe.web.pages import (
    Submitted,
    add_service_error,
    is_partial,
    paginate,
    render_page,
    submit,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def volunteer_filters(actor: Actor, form: VolunteerFilterForm) -> selectors.VolunteerFilters:
    if not (form.is_bound and form.is_valid()):
        return selectors.VolunteerFilters()
    d = form.cleaned_data
    return selectors.VolunteerFilters(
        q=d["q"], team=team_from(actor, d["team"], access.VIEW), status=d["status"],
        stars=int(d["stars"]) if d["stars"] else None)


SEARCH_FIELDS = ("q", "team", "status", "stars")


@login_required
@never_cache
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def volunteer_list(request: HttpRequest) -> HttpResponse:
    """The search form posts (a full ID number never goes in a URL, #22): the search is kept
    in the session and the page answers ``?s=<key>`` (htmx: the results and that address)."""
    actor = request.user
    if not access.has_any(actor, access.VIEW):
        raise NotFound()
    teams = list(selectors.team_list(actor=actor)[:500])
    if request.method == "POST":
        form = VolunteerFilterForm(request.POST, teams=teams)
        if form.is_valid():
            key = privatesearch.search_save(request, "volunteers", {
                name: form.cleaned_data[name] for name in SEARCH_FIELDS})
            url = f"{reverse('volunteers:list')}?{privatesearch.PARAM}={key}"
            if not is_partial(request):
                return redirect(url)
            request.GET = QueryDict(f"{privatesearch.PARAM}={key}")  # pagination keeps it
            response = _volunteer_results(request, form)
            response["HX-Push-Url"] = url
            return response
        return _volunteer_results(request, form)
    data, via_url = privatesearch.search_data(request, "volunteers", SEARCH_FIELDS)
    return _volunteer_results(request, VolunteerFilterForm(data, teams=teams, via_url=via_url))


def _volunteer_results(request: HttpRequest, form: VolunteerFilterForm) -> HttpResponse:
    actor = request.user
    status = 400 if form.errors else 200
    try:
        page = selectors.volunteer_page(actor=actor, filters=volunteer_filters(actor, form),
                                        number=request.GET.get("page"))
    except WusheError as exc:
        add_service_error(form, exc, field_map={"id_number": "q"})
        page = paginate(request, [])
        status = exc.status
    return render_page(request, "volunteers/volunteer_list.html", {
        "form": form, "page": page, "can_create": access.has_any(actor, access.MANAGE)
        or bool(access.team_prefixes(actor, access.MANAGE)),
        "export_query": request.GET.urlencode(),
    }, partial="results", status=status)


@login_required
@never_cache
@require_GET
def volunteer_detail(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    actor = request.user
    volunteer = selectors.volunteer_get(actor=actor, volunteer_id=volunteer_id)
    records = selectors.record_list(actor=actor, filters=selectors.RecordFilters(
        volunteer=volunteer))
    can_manage = access.can(actor, access.MANAGE, volunteer)
    join_teams = [t for t in selectors.my_teams(actor=actor)] if can_manage else []
    return render_page(request, "volunteers/volunteer_detail.html", {
        "volunteer": volunteer, "person": volunteer.person,
        "memberships": selectors.memberships(actor=actor, volunteer=volunteer),
        "records": records[:30], "certificates": selectors.certificate_list(
            actor=actor, volunteer=volunteer)[:20],
        "can_manage": can_manage, "join_form": JoinTeamForm(teams=join_teams),
        "can_certify": bool(selectors.my_teams(actor=actor, perm=access.CERTIFY)),
        "is_self": access.own_volunteer_id(actor) == volunteer.pk,
    })


def _register_choices(actor: Actor) -> tuple[list[Any], list[Any]]:
    teams = selectors.my_teams(actor=actor)
    regions = sorted({r.pk: r for r in [
        *regions_where(actor, access.MANAGE, (RegionLevel.COMMUNITY,)),
        *[r for r in team_regions(actor, teams) if r.level == RegionLevel.COMMUNITY]]}.values(),
        key=lambda r: r.code)
    return teams, regions


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def volunteer_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    teams, regions = _register_choices(actor)
    if not teams and not regions:
        raise PermissionDenied()
    form = VolunteerForm(request.POST or None, teams=teams, regions=regions,
                         initial={"team": request.GET.get("team", "")})
    outcome = Submitted(False)
    if request.method == "POST":
        def call(d: dict[str, Any]) -> Any:
            guardian = GuardianSpec(d["guardian_name"], d["guardian_id_number"],
                                    d["guardian_relation"]) if d["guardian_name"] else None
            return services.volunteer_register(
                actor=actor, region=region_by_code(actor, d["region"], teams),
                team=team_from(actor, d["team"]),
                data=Registration(name=d["name"], id_number=d["id_number"],
                                  phone=d["phone"] or None, skills=d["skills"],
                                  interests=d["interests"], availability=d["availability"],
                                  join_date=d["join_date"], guardian=guardian))
        outcome = submit(form, call)
        if outcome.done:
            messages.success(request, _("The volunteer has been registered."))
            return redirect("volunteers:detail", volunteer_id=outcome.result.pk)
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("Register a volunteer"), "cancel": reverse("volunteers:list"),
        "intro": _("The ID number and phone are stored encrypted and shown masked. If the person "
                   "is already a volunteer, they are added to the chosen team."),
    }, status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def volunteer_edit(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    actor = request.user
    volunteer = selectors.volunteer_get(actor=actor, volunteer_id=volunteer_id)
    access.require(actor, access.MANAGE, volunteer)
    form = VolunteerEditForm(request.POST or None, initial={
        "skills": "、".join(volunteer.skill_list), "interests": volunteer.interest_list,
        "availability": [a for a in volunteer.availability.split(",") if a],
        "status": volunteer.status})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.volunteer_update(
            actor=actor, volunteer=volunteer, skills=d["skills"], interests=d["interests"],
            availability=d["availability"], status=d["status"]))
        if outcome.done:
            messages.success(request, _("The changes have been saved."))
            return redirect("volunteers:detail", volunteer_id=volunteer.pk)
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("Edit volunteer") + f" · {volunteer.number}",
        "cancel": reverse("volunteers:detail", args=[volunteer.pk])}, status=outcome.status)


@login_required
@require_POST
def volunteer_join(request: HttpRequest, volunteer_id: int) -> HttpResponse:
    actor = request.user
    volunteer = selectors.volunteer_get(actor=actor, volunteer_id=volunteer_id)
    form = JoinTeamForm(request.POST, teams=selectors.my_teams(actor=actor))
    outcome = submit(form, lambda d: services.membership_add(
        actor=actor, volunteer=volunteer, team=required_team(actor, d["team"])))
    if outcome.done:
        messages.success(request, _("The volunteer has joined the team."))
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("volunteers:detail", volunteer_id=volunteer.pk)


@login_required
@never_cache
@require_GET
def applications(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, access.MANAGE) and not access.team_prefixes(actor, access.MANAGE):
        raise NotFound()
    status = request.GET.get("status", ApplicationStatus.PENDING)
    if status not in ApplicationStatus.values:
        status = ApplicationStatus.PENDING
    found = selectors.application_list(actor=actor, status=status)
    one = request.GET.get("application", "")
    if one:  # one application (a work item's link), whatever its status: 404 outside scope
        found = selectors.application_list(actor=actor, status="").filter(
            pk=int(one) if one.isascii() and one.isdigit() and len(one) < 19 else 0)
        if not found.exists():
            raise NotFound()
    page = paginate(request, found)
    return render_page(request, "volunteers/applications.html", {
        "page": page, "status": status, "statuses": ApplicationStatus.choices,
        "reject_form": RejectForm()})


@login_required
@require_POST
def application_decide(request: HttpRequest, application_id: int) -> HttpResponse:
    actor = request.user
    application = selectors.application_get(actor=actor, application_id=application_id)
    try:
        if request.POST.get("decision") == "approve":
            done = services.application_approve(actor=actor, application=application)
            messages.success(request, _("Approved: volunteer %(number)s registered.") % {
                "number": done.volunteer.number if done.volunteer else ""})
        else:
            services.application_reject(actor=actor, application=application,
                                        note=request.POST.get("reason", ""))
            messages.success(request, _("The application has been rejected."))
    except WusheError as exc:
        messages.error(request, exc.localized())
    return redirect("volunteers:applications")
