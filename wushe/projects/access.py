"""Who may see and change a project: region grants plus the org_staff object grant.

A region grant with ``projects.view`` covers the projects of its region subtree; an org_staff's
object grant on its organisation covers the projects that organisation delivers (``provider``).
Everything goes through accounts.scope. A project outside both is missing (NotFound).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Model, QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied
from wushe.orgs import access as org_access

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "projects.view"
DESIGN = "projects.design"
MANAGE = "projects.manage"
PAY = "projects.pay"
EVALUATE = "evaluation.manage"


def visible(model: type[Model], actor: Actor, perm: str = VIEW) -> QuerySet[Any]:
    """Scoped projects: the region grants' subtrees plus the delivering organisation's
    org_staff grant (the organisations' own rule, reached through ``provider_id``)."""
    return org_access.visible_via(model, actor, "provider_id", perm)


def can(actor: Actor, perm: str, project: Any) -> bool:
    if scope.covers(actor, perm, project.region_path):
        return True
    return bool(project.provider_id) and project.provider_id in scope.object_ids(actor, "org", perm)


def require(actor: Actor, perm: str | tuple[str, ...], project: Any) -> None:
    """Raise unless the actor holds one of ``perm`` over the project: NotFound when it cannot
    even see the project, PermissionDenied when it can see but not act."""
    perms = (perm,) if isinstance(perm, str) else perm
    if any(scope.covers(actor, p, project.region_path) for p in perms):
        return
    if can(actor, VIEW, project):
        raise PermissionDenied()
    raise NotFound()


