"""The one place that turns an actor into data scope.

A grant is (role, region). An actor sees a region-bound row when some grant whose role carries
the permission covers the row's region path; grants combine with OR; no grant, no data.
Superusers are explicit: they see everything, and only because of this module.
Outside scope and missing look the same (NotFound), so existence never leaks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q

from wushe.accounts.roles import OBJECT_PERMISSIONS, ROLE_PERMISSIONS
from wushe.core.errors import NotFound, PermissionDenied
from wushe.core.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor


def next_prefix(prefix: str) -> str:
    """The smallest digit string of the same length greater than every extension of prefix."""
    return str(int(prefix) + 1).zfill(len(prefix))


def subtree_q(field: str, prefix: str) -> Q:
    if set(prefix) == {"9"}:  # no same-length successor; never a real admin code
        return Q(**{f"{field}__startswith": prefix})
    return Q(**{f"{field}__gte": prefix, f"{field}__lt": next_prefix(prefix)})


def _all_grants(actor: MaybeActor) -> list[tuple[str, str, int | None, int | None, int | None]]:
    """(role, region_path, org_id, team_id, fund_id) per grant, cached on the actor object."""
    cached = getattr(actor, "_wushe_grants", None)
    if cached is None:
        from wushe.accounts.models import RoleGrant

        if actor is None or not getattr(actor, "is_authenticated", False) or actor.pk is None:
            cached = []
        else:
            cached = list(
                RoleGrant.objects.mark_scoped().filter(user_id=actor.pk)
                .values_list("role", "region_path", "org_id", "team_id", "fund_id")
            )
        if actor is not None:
            cast(Any, actor)._wushe_grants = cached  # a per-request cache, not a field
    return cached


def _grants(actor: MaybeActor) -> list[tuple[str, str]]:
    """(role, region_path) of every grant: an object grant also gives its role's region
    permissions over its region (a team leader still sees its community's regions)."""
    return [(grant[0], grant[1]) for grant in _all_grants(actor)]


def home_path(user: MaybeActor) -> str:
    """The account's first grant region (where its own audit events are filed)."""
    paths = sorted(p for _, p in _grants(user))
    return paths[0] if paths else ""


def object_ids(actor: MaybeActor, kind: str, perm: str) -> list[int]:
    """Ids of the objects of ``kind`` ("org", "team", "fund") the actor holds ``perm`` on.

    A team id stands for the team's whole subtree; the volunteers app expands it.
    """
    index = {"org": 2, "team": 3, "fund": 4}[kind]
    ids = []
    for grant in _all_grants(actor):
        obj_kind, perms = OBJECT_PERMISSIONS.get(grant[0], ("", frozenset()))
        if obj_kind == kind and perm in perms and grant[index] is not None:
            ids.append(int(grant[index]))  # type: ignore[arg-type]
    return sorted(set(ids))


def forget(actor: MaybeActor) -> None:
    """Drop the per-request grant cache (after grants change)."""
    if hasattr(actor, "_wushe_grants"):
        del cast(Any, actor)._wushe_grants


def is_superuser(actor: MaybeActor) -> bool:
    return bool(actor is not None and getattr(actor, "is_superuser", False)
                and getattr(actor, "is_active", False))


def roles(actor: MaybeActor) -> set[str]:
    return {grant[0] for grant in _all_grants(actor)}


def paths(actor: MaybeActor, perm: str) -> list[str]:
    """Minimal set of region prefixes where the actor holds ``perm``."""
    found = sorted({p for role, p in _grants(actor) if perm in ROLE_PERMISSIONS.get(role, ())})
    minimal: list[str] = []
    for p in found:  # sorted: an ancestor precedes its descendants
        if not any(p.startswith(m) for m in minimal):
            minimal.append(p)
    return minimal


def has_perm(actor: MaybeActor, perm: str) -> bool:
    """Holds ``perm`` somewhere (to decide whether to show a menu entry, not to read data)."""
    return (is_superuser(actor) or bool(paths(actor, perm))
            or any(object_ids(actor, kind, perm) for kind in ("org", "team", "fund")))


def covers(actor: MaybeActor, perm: str, path: str) -> bool:
    if is_superuser(actor):
        return True
    return any(path.startswith(p) for p in paths(actor, perm))


def filter_q(actor: MaybeActor, perm: str, field: str) -> Q | None:
    """Q for the actor's scope on ``field``; None means everything (superuser)."""
    if is_superuser(actor):
        return None
    q = Q(pk__in=[])  # deny by default
    for p in paths(actor, perm):
        q |= subtree_q(field, p)
    return q


def binding_q(actor: MaybeActor, perm: str, field: str = "region_path") -> Q | None:
    """Q for what binds the actor's regions: rows inside them, or at a region above them (a
    district's document or dictionary applies to every street and community in it). None
    means everything (superuser)."""
    if is_superuser(actor):
        return None
    q = Q(pk__in=[])  # deny by default
    for p in paths(actor, perm):
        q |= subtree_q(field, p) | Q(**{f"{field}__in": [p[:n] for n in (6, 9, 12, 15)
                                                          if n <= len(p)]})
    return q


def visible(qs: Any, actor: MaybeActor, perm: str) -> models.QuerySet[Any]:
    """The rows of ``qs`` the actor may see with ``perm``, marked as scoped."""
    queryset = qs.all() if isinstance(qs, models.Manager) else qs
    field = getattr(queryset.model, "scope_path_field", "region_path")
    q = filter_q(actor, perm, field)
    if q is not None:
        queryset = queryset.filter(q)
    if isinstance(queryset, ScopedQuerySet):
        queryset = queryset.mark_scoped()
    return queryset


def get_or_404(qs: Any, actor: MaybeActor, perm: str, **lookup: Any) -> Any:
    try:
        return visible(qs, actor, perm).get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def require(actor: MaybeActor, perm: str, obj: Any, *, view_perm: str | None = None) -> None:
    """Raise unless the actor holds ``perm`` over ``obj``'s region.

    If the actor cannot even see the object (``view_perm`` over it), the answer is NotFound,
    the same as for a missing row; PermissionDenied only when it is visible anyway.
    """
    field = getattr(type(obj), "scope_path_field", "region_path")
    path = getattr(obj, field)
    if covers(actor, perm, path):
        return
    if view_perm and covers(actor, view_perm, path):
        raise PermissionDenied()
    raise NotFound()


def require_region(actor: MaybeActor, perm: str, path: str) -> None:
    """For creating something in a region: outside scope the region "does not exist"."""
    if not covers(actor, perm, path):
        raise NotFound("地区不存在", "Region not found")
