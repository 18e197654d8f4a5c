"""Team pages: the tree with totals, a team's page, create and edit, appoint a leader."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import regions_where
from wushe.volunteers import access, selectors, services
from wushe.volunteers.views.common import region_by_code, team_from, team_regions
from wushe.volunteers.views.forms import LeaderForm, TeamEditForm, TeamForm
from wushe.web.pages import Submitted, render_page, submit

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not access.has_any(actor, access.VIEW):
        raise NotFound()
    roots = selectors.team_roots(actor=actor)
    nodes = [{"team": t, "children": selectors.team_children(actor=actor, team=t)}
             for t in roots]
    return render_page(request, "volunteers/team_tree.html", {
        "nodes": nodes, "can_create": scope.has_perm(actor, access.MANAGE)
        or bool(access.team_prefixes(actor, access.MANAGE))})


@login_required
@require_GET
def children(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=team_id)
    if not getattr(request, "htmx", False):
        return redirect("volunteers:team", team_id=team.pk)
    return render_page(request, "volunteers/team_tree.html", {
        "children": selectors.team_children(actor=actor, team=team)}, partial="children")


@login_required
@require_GET
def detail(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=team_id)
    members = selectors.team_members(actor=actor, team=team)
    return render_page(request, "volunteers/team_detail.html", {
        "team": team, "ancestors": selectors.team_ancestors(team),
        "children": selectors.team_children(actor=actor, team=team),
        "leaders": selectors.team_leaders(team),
        "members": members[:50], "members_total": team.members,
        "activities": selectors.activity_list(
            actor=actor, filters=selectors.ActivityFilters(team=team)).order_by("-starts_at")[:10],
        "can_manage": access.can(actor, access.MANAGE, team),
        "can_appoint": scope.covers(actor, "accounts.manage", team.region_path),
        "leader_form": LeaderForm(),
    })


def _create_choices(actor: Actor) -> tuple[list[Any], list[Any]]:
    teams = [t for t in selectors.my_teams(actor=actor) if t.level != "squad"]
    regions = sorted({r.pk: r for r in [
        *regions_where(actor, access.MANAGE, (RegionLevel.DISTRICT, RegionLevel.STREET,
                                            RegionLevel.COMMUNITY)),
        *team_regions(actor, teams)]}.values(), key=lambda r: r.code)
    return teams, regions


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    teams, regions = _create_choices(actor)
    if not teams and not scope.has_perm(actor, access.MANAGE):
        raise PermissionDenied()
    initial = {"parent": request.GET.get("parent", "")}
    form = TeamForm(request.POST or None, teams=teams, regions=regions, initial=initial)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.team_create(
            actor=actor, name=d["name"], level=d["level"], brand=d["brand"],
            description=d["description"], parent=team_from(actor, d["parent"]),
            region=region_by_code(actor, d["region"], teams)))
        if outcome.done:
            messages.success(request, _("The team has been created."))
            return redirect("volunteers:team", team_id=outcome.result.pk)
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("New volunteer team"), "cancel": reverse("volunteers:teams"),
        "intro": _("A corps (总队) at the top; detachments (支队/分队) under a corps; squads "
                   "(小队) under a detachment. A sub-team's region lies inside its parent's.")},
        status=outcome.status)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=team_id)
    access.require(actor, access.MANAGE, team)
    form = TeamEditForm(request.POST or None, initial={
        "name": team.name, "brand": team.brand, "description": team.description,
        "active": team.active})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.team_update(
            actor=actor, team=team, name=d["name"], brand=d["brand"],
            description=d["description"], active=d["active"]))
        if outcome.done:
            messages.success(request, _("The changes have been saved."))
            return redirect("volunteers:team", team_id=team.pk)
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("Edit team") + f" · {team.name}",
        "cancel": reverse("volunteers:team", args=[team.pk])}, status=outcome.status)


@login_required
@require_http_methods(["POST"])
def appoint(request: HttpRequest, team_id: int) -> HttpResponse:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=team_id)
    form = LeaderForm(request.POST)

    outcome = submit(form, lambda d: services.team_leader_appoint(
        actor=actor, team=team, username=d["username"]))
    if outcome.done:
        messages.success(request, _("The leader has been appointed."))
    else:
        messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
    return redirect("volunteers:team", team_id=team.pk)
