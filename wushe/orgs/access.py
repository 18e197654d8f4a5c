"""Who may see and change an organisation: region grants plus the org_staff object grant.

Everything goes through accounts.scope: ``filter_q`` for region grants (district admins,
street and community staff, auditors) and ``object_ids`` for an org_staff's own organisation.
An organisation outside both is missing (NotFound), never "forbidden", so its existence does
not leak.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, Q, QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied
from wushe.orgs.models import SocialOrganization

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "orgs.view"
MANAGE = "orgs.manage"
EDIT = "orgs.edit"
RATE = "orgs.rate"


def scope_q(actor: Actor, perm: str, *, path_field: str = "region_path",
            org_field: str = "pk") -> Q | None:
    """Q over rows of an organisation (or of its children); None means everything."""
    q = scope.filter_q(actor, perm, path_field)
    if q is None:
        return None
    ids = scope.object_ids(actor, "org", perm)
    if ids:
        q |= Q(**{f"{org_field}__in": ids})
    return q


def visible(model: type[Model], actor: Actor, perm: str = VIEW) -> QuerySet[Any]:
    """Scoped rows of ``model``: the organisation itself or a row that has ``org``."""
    org_field = "pk" if model is SocialOrganization else "org_id"
    qs = model._default_manager.all()
    q = scope_q(actor, perm, org_field=org_field)
    if q is not None:
        qs = qs.filter(q)
    scoped: QuerySet[Any] = qs.mark_scoped()  # type: ignore[attr-defined]
    return scoped


def visible_via(model: type[Model], actor: Actor, org_path: str, perm: str = VIEW) -> QuerySet[Any]:
    """Scoped rows of a model that reaches its organisation through ``org_path`` (e.g.
    ``incubation__org_id``); its own region_path is the organisation's."""
    qs = model._default_manager.all()
    q = scope_q(actor, perm, org_field=org_path)
    if q is not None:
        qs = qs.filter(q)
    scoped: QuerySet[Any] = qs.mark_scoped()  # type: ignore[attr-defined]
    return scoped


def _covers(actor: Actor, perm: str, org: SocialOrganization) -> bool:
    return scope.covers(actor, perm, org.region_path) or \
        org.pk in scope.object_ids(actor, "org", perm)


def can_view(actor: Actor, org: SocialOrganization) -> bool:
    return _covers(actor, VIEW, org)


def can_manage(actor: Actor, org: SocialOrganization) -> bool:
    return scope.covers(actor, MANAGE, org.region_path)


def can_edit(actor: Actor, org: SocialOrganization) -> bool:
    """Managers of its region, or its own staff (org_staff object grant)."""
    return can_manage(actor, org) or org.pk in scope.object_ids(actor, "org", EDIT)


def can_rate(actor: Actor, org: SocialOrganization) -> bool:
    return scope.covers(actor, RATE, org.region_path)


def _deny(actor: Actor, org: SocialOrganization) -> None:
    if can_view(actor, org):
        raise PermissionDenied()
    raise NotFound()


def require_manage(actor: Actor, org: SocialOrganization) -> None:
    if not can_manage(actor, org):
        _deny(actor, org)


def require_edit(actor: Actor, org: SocialOrganization) -> None:
    if not can_edit(actor, org):
        _deny(actor, org)


def require_rate(actor: Actor, org: SocialOrganization) -> None:
    if not can_rate(actor, org):
        _deny(actor, org)
