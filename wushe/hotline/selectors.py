"""Reads of the 12345 exchange: orders in the actor's scope (overdue first) and the updates
after a cursor, for the platform's pull."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import BooleanField, Case, Q, QuerySet, Value, When
from django.utils import timezone

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.hotline.models import HotlineUpdate, Order
from wushe.needs import perms as need_perms
from wushe.needs.workflow import DONE

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

PULL_LIMIT_MAX = 500


def _overdue() -> Case:
    """Past the platform's deadline and not 办结 (resolved, followed up or closed)."""
    return Case(When(Q(deadline__lt=timezone.now()) & ~Q(need__state__in=list(DONE)),
                     then=Value(True)), default=Value(False), output_field=BooleanField())


# The orders page is for the staff who take needs in (community, street and district staff):
# an order is theirs by region, like the needs they take in.
PAGE_PERM = need_perms.NEED_INTAKE


def order_list(*, actor: Actor, overdue_only: bool = False) -> QuerySet[Order]:
    if not scope.has_perm(actor, PAGE_PERM):
        raise NotFound()
    qs = (scope.visible(Order.objects, actor, PAGE_PERM)
          .annotate(overdue=_overdue())
          .select_related("need", "need__community")
          .order_by("-overdue", "deadline", "id"))
    return qs.filter(overdue=True) if overdue_only else qs


def order_get(*, actor: Actor, order_id: int) -> Order:
    qs = (Order.objects.annotate(overdue=_overdue())
          .select_related("need", "need__community"))
    order: Order = scope.get_or_404(qs, actor, PAGE_PERM, pk=order_id)
    return order


def updates_since(*, actor: Actor, cursor: int, limit: int) -> list[HotlineUpdate]:
    """Updates after ``cursor`` of orders in the platform account's scope (where it may take
    orders in), oldest first, at most PULL_LIMIT_MAX."""
    qs = HotlineUpdate.objects.filter(pk__gt=cursor)
    q = scope.filter_q(actor, need_perms.NEED_INTAKE, "order__region_path")
    if q is not None:
        qs = qs.filter(q)
    return list(qs.order_by("pk").only("pk", "payload")[:min(limit, PULL_LIMIT_MAX)])
