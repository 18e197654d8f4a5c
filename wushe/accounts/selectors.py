from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from wushe.accounts import scope
from wushe.accounts.models import RoleGrant, User

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def grant_list(*, actor: Actor, user: User | None = None) -> QuerySet[RoleGrant]:
    """Grants the actor can see: its own, and any in a region it manages accounts for."""
    qs: QuerySet[RoleGrant] = (
        scope.visible(RoleGrant.objects, actor, "accounts.manage")
        | RoleGrant.objects.mark_scoped().filter(user_id=getattr(actor, "pk", None))).mark_scoped()
    if user is not None:
        qs = qs.filter(user=user)
    return qs.select_related("region", "user").order_by("user__username", "role")


def my_grants(*, actor: Actor) -> QuerySet[RoleGrant]:
    grants: QuerySet[RoleGrant] = (
        RoleGrant.objects.mark_scoped().filter(user_id=getattr(actor, "pk", None))
        .select_related("region").order_by("region_path", "role"))
    return grants
