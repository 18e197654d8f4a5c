"""Who may see and do what in the volunteers app: region grants, team grants, and oneself.

Three sources, combined with OR, all read from ``accounts.scope``:

* a region grant whose role carries the permission (``scope.filter_q`` on ``region_path``);
* a team leader's object grant (``scope.object_ids(actor, "team", perm)``), expanded here to
  the team's whole subtree, the digit range of ``Team.path``;
* for reads only, the volunteer's own records, found through ``Volunteer.user``.

Outside all three the answer is NotFound, the same as for a missing row.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied
from wushe.core.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor, MaybeActor

VIEW = "volunteers.view"
MANAGE = "volunteers.manage"
CONFIRM = "volunteers.confirm"
CERTIFY = "volunteers.certify"


def team_prefixes(actor: Actor, perm: str) -> list[str]:
    """Minimal set of Team.path prefixes the actor holds ``perm`` over (its team subtrees)."""
    ids = scope.object_ids(actor, "team", perm)
    if not ids:
        return []
    cache: dict[tuple[int, ...], list[str]] = actor.__dict__.setdefault("_wushe_team_paths", {})
    key = tuple(ids)
    if key not in cache:
        from wushe.volunteers.models import Team

        found = sorted(Team.objects.mark_scoped().filter(pk__in=ids).values_list("path", flat=True))
        minimal: list[str] = []
        for p in found:  # sorted: an ancestor precedes its descendants
            if not any(p.startswith(m) for m in minimal):
                minimal.append(p)
        cache[key] = minimal
    return cache[key]


def team_range_q(field: str, prefixes: list[str]) -> Q:
    q = Q(pk__in=[])
    for p in prefixes:
        q |= scope.subtree_q(field, p)
    return q


def own_volunteer_id(actor: MaybeActor) -> int | None:
    """The Volunteer record linked to this login, if any (cached on the actor)."""
    if actor is None or not getattr(actor, "is_authenticated", False) or actor.pk is None:
        return None
    if "_wushe_volunteer_id" not in actor.__dict__:
        from wushe.volunteers.models import Volunteer

        actor.__dict__["_wushe_volunteer_id"] = (
            Volunteer.objects.mark_scoped().filter(user_id=actor.pk)
            .values_list("pk", flat=True).first())
    found: int | None = actor.__dict__["_wushe_volunteer_id"]
    return found


def forget(actor: Actor) -> None:
    for key in ("_wushe_team_paths", "_wushe_volunteer_id"):
        actor.__dict__.pop(key, None)
    scope.forget(actor)


def scope_q(actor: Actor, perm: str, *, team_field: str | None = "team_path",
            self_field: str | None = None, region_field: str = "region_path") -> Q | None:
    """Q of what the actor reaches with ``perm``; None means everything (superuser)."""
    q = scope.filter_q(actor, perm, region_field)
    if q is None:
        return None
    prefixes = team_prefixes(actor, perm)
    if prefixes and team_field:
        q |= team_range_q(team_field, prefixes)
    if self_field and perm == VIEW:
        own = own_volunteer_id(actor)
        if own is not None:
            q |= Q(**{self_field: own})
    return q


def _mark(qs: QuerySet[Any]) -> QuerySet[Any]:
    return qs.mark_scoped() if isinstance(qs, ScopedQuerySet) else qs


def visible(qs: Any, actor: Actor, perm: str, *, team_field: str | None = "team_path",
            self_field: str | None = None, region_field: str = "region_path") -> QuerySet[Any]:
    queryset = qs.all()
    q = scope_q(actor, perm, team_field=team_field, self_field=self_field,
                region_field=region_field)
    if q is not None:
        queryset = queryset.filter(q)
    return _mark(queryset)


def volunteer_q(actor: Actor, perm: str) -> Q | None:
    """Volunteers: by their community, by a membership in the actor's team subtree, or self."""
    from wushe.volunteers.models import Membership

    q = scope.filter_q(actor, perm, "region_path")
    if q is None:
        return None
    prefixes = team_prefixes(actor, perm)
    if prefixes:
        members = Membership.objects.mark_scoped().filter(volunteer=OuterRef("pk")).filter(
            team_range_q("team_path", prefixes))
        q |= Q(Exists(members))
    if perm == VIEW:
        own = own_volunteer_id(actor)
        if own is not None:
            q |= Q(pk=own)
    return q


def visible_volunteers(qs: Any, actor: Actor, perm: str = VIEW) -> QuerySet[Any]:
    queryset = qs.all()
    q = volunteer_q(actor, perm)
    if q is not None:
        queryset = queryset.filter(q)
    return _mark(queryset)


def covers(actor: Actor, perm: str, *, region_path: str, team_paths: list[str] | tuple[str, ...] = (),
           volunteer_id: int | None = None) -> bool:
    if scope.covers(actor, perm, region_path):
        return True
    prefixes = team_prefixes(actor, perm)
    if any(tp.startswith(p) for tp in team_paths for p in prefixes):
        return True
    return perm == VIEW and volunteer_id is not None and own_volunteer_id(actor) == volunteer_id


def _paths_of(obj: Any) -> tuple[str, list[str], int | None]:
    from wushe.volunteers.models import Membership, Team, Volunteer

    if isinstance(obj, Team):
        return obj.region_path, [obj.path], None
    if isinstance(obj, Volunteer):
        paths = list(Membership.objects.unscoped(reason="access: the paths the check compares").filter(volunteer=obj)
                     .values_list("team_path", flat=True))
        return obj.region_path, paths, obj.pk
    team_path = getattr(obj, "team_path", "")
    return obj.region_path, [team_path] if team_path else [], getattr(obj, "volunteer_id", None)


def can(actor: Actor, perm: str, obj: Any) -> bool:
    region_path, team_paths, volunteer_id = _paths_of(obj)
    return covers(actor, perm, region_path=region_path, team_paths=team_paths,
                  volunteer_id=volunteer_id)


def require(actor: Actor, perm: str, obj: Any, *, view_perm: str | None = VIEW) -> None:
    """Raise unless the actor holds ``perm`` over ``obj``: NotFound when it cannot even see it."""
    region_path, team_paths, volunteer_id = _paths_of(obj)
    if covers(actor, perm, region_path=region_path, team_paths=team_paths,
              volunteer_id=volunteer_id):
        return
    if view_perm and covers(actor, view_perm, region_path=region_path, team_paths=team_paths,
                            volunteer_id=volunteer_id):
        raise PermissionDenied()
    raise NotFound()


def has_any(actor: Actor, perm: str) -> bool:
    """Holds ``perm`` somewhere: to decide whether to show a menu entry or a button."""
    return scope.has_perm(actor, perm) or (perm == VIEW and own_volunteer_id(actor) is not None)
