from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.accounts.models import RoleGrant, User
from wushe.core.scoping import ScopedQuerySet

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _own(actor: Actor) -> ScopedQuerySet[RoleGrant]:
    """The actor's own grants (none for an anonymous actor)."""
    own = RoleGrant.objects.mark_scoped()
    user = user_or_none(actor)
    return own.none() if user is None else own.filter(user=user)


def grant_list(*, actor: Actor, user: User | None = None) -> QuerySet[RoleGrant]:
    """Grants the actor can see: its own, and any in a region it manages accounts for."""
    qs: QuerySet[RoleGrant] = (
        _own(actor) | scope.visible(RoleGrant.objects, actor, "accounts.manage")).mark_scoped()
    if user is not None:
        qs = qs.filter(user=user)
    return qs.select_related("region", "user").order_by("user__username", "role")


def my_grants(*, actor: Actor) -> QuerySet[RoleGrant]:
    grants: QuerySet[RoleGrant] = (
        _own(actor).select_related("region").order_by("region_path", "role"))
    return grants
