"""Who may see and change a project: region grants plus the org_staff object grant.

A region grant with ``projects.view`` covers the projects of its region subtree; an org_staff's
object grant on its organisation covers the projects that organisation delivers (``provider``).
Everything goes through accounts.scope. A project outside both is missing (NotFound).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, Q, QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied

VIEW = "projects.view"
DESIGN = "projects.design"
MANAGE = "projects.manage"
PAY = "projects.pay"
EVALUATE = "evaluation.manage"


def scope_q(actor: Any, perm: str, *, provider_field: str = "provider_id") -> Q | None:
    """Q over projects (or rows of a project); None means everything (superuser)."""
    q = scope.filter_q(actor, perm, "region_path")
    if q is None:
        return None
    ids = scope.object_ids(actor, "org", perm)
    if ids:
        q |= Q(**{f"{provider_field}__in": ids})
    return q


def visible(model: type[Model], actor: Any, perm: str = VIEW, *,
            provider_field: str = "provider_id") -> QuerySet[Any]:
    """Scoped rows of ``model``; ``provider_field`` reaches the delivering organisation
    (``project__provider_id`` for a row that belongs to a project)."""
    qs = model._default_manager.all()
    q = scope_q(actor, perm, provider_field=provider_field)
    if q is not None:
        qs = qs.filter(q)
    return qs.mark_scoped()  # type: ignore[attr-defined]


def can(actor: Any, perm: str, project: Any) -> bool:
    if scope.covers(actor, perm, project.region_path):
        return True
    return bool(project.provider_id) and project.provider_id in scope.object_ids(actor, "org", perm)


def require(actor: Any, perm: str | tuple[str, ...], project: Any) -> None:
    """Raise unless the actor holds one of ``perm`` over the project: NotFound when it cannot
    even see the project, PermissionDenied when it can see but not act."""
    perms = (perm,) if isinstance(perm, str) else perm
    if any(scope.covers(actor, p, project.region_path) for p in perms):
        return
    if can(actor, VIEW, project):
        raise PermissionDenied()
    raise NotFound()


def require_list(actor: Any, perm: str, plist: Any) -> None:
    if scope.covers(actor, perm, plist.region_path):
        return
    if scope.covers(actor, VIEW, plist.region_path):
        raise PermissionDenied()
    raise NotFound()
