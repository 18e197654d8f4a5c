"""Reads of the team tree: scoped, with totals read from the team rows themselves."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from wushe.accounts import scope
from wushe.accounts.models import RoleGrant, User
from wushe.accounts.roles import Role
from wushe.core.errors import NotFound
from wushe.volunteers import access
from wushe.volunteers.models import Team

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

TEAM_FIELDS = ("id", "name", "brand", "level", "path", "parent_id", "region_id", "region_path",
               "active", "hours_confirmed", "records_confirmed", "members", "region__name",
               "region__code")


def team_list(*, actor: Actor, perm: str = access.VIEW, level: str = "",
              parent: Team | None = None, region_path: str = "", q: str = "") -> QuerySet[Team]:
    qs = access.visible(Team.objects, actor, perm, team_field="path")
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    if region_path:
        qs = qs.filter(scope.subtree_q("region_path", region_path))
    if q:
        qs = qs.filter(Q(name__contains=q) | Q(brand__contains=q) | Q(path=q))
    return qs.select_related("region").only(*TEAM_FIELDS).order_by("path")


def team_get(*, actor: Actor, team_id: int, perm: str = access.VIEW) -> Team:
    team = access.visible(Team.objects.select_related("region", "parent"), actor, perm,
                          team_field="path").filter(pk=team_id).first()
    if team is None:
        raise NotFound()
    return team


def team_by_code(*, actor: Actor, code: str, perm: str = access.VIEW) -> Team:
    team = access.visible(Team.objects.select_related("region"), actor, perm,
                          team_field="path").filter(path=code).first()
    if team is None:
        raise NotFound("队伍不存在", "Team not found")
    return team


def team_roots(*, actor: Actor) -> list[Team]:
    """The top-most teams the actor sees: where its tree page starts."""
    teams = list(team_list(actor=actor).annotate(n_children=Count("children")))
    paths = {t.path for t in teams}
    return [t for t in teams
            if not any(t.path[:n] in paths for n in range(4, len(t.path), 4))]


def team_children(*, actor: Actor, team: Team) -> list[Team]:
    """Children with their own child counts and totals, in one query."""
    return list(team_list(actor=actor, parent=team).annotate(n_children=Count("children")))


def team_ancestors(team: Team) -> list[Team]:
    """The teams above (names are not personal data), top first, one query."""
    paths = [team.path[:n] for n in range(4, len(team.path), 4)]
    by_path = {t.path: t for t in Team.objects.unscoped(reason="structure: the teams above a team read in scope").filter(path__in=paths)
               .only("id", "name", "path", "level")}
    return [by_path[p] for p in paths if p in by_path]


def team_leaders(team: Team) -> list[User]:
    """Who leads the team itself: the team_leader grants bound to it."""
    return [g.user for g in RoleGrant.objects.unscoped(reason="children of a row read in scope").filter(team=team, role=Role.TEAM_LEADER)
            .select_related("user").order_by("user__username")]


def my_teams(*, actor: Actor, perm: str = access.MANAGE) -> list[Team]:
    """Teams the actor may act for with ``perm`` (choices of forms), top to bottom."""
    return list(team_list(actor=actor, perm=perm).filter(active=True))
