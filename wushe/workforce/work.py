"""The workforce app's work items (inbox/registry.py): hired workers' adjustments proposed by
the community and waiting for the street's approval, for whoever may approve them (an account
managing the workforce from a grant above the worker's community; never the proposer)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.inbox.registry import Item, due_date, producer
from wushe.workforce.models import Adjustment, AdjustmentState, Engagement
from wushe.workforce.services.adjustments import APPROVE

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

KIND = "workforce.adjustment.approve"
COMMUNITY_PATH = 12  # a community's region path; the street's is shorter


def _item(a: Adjustment) -> Item:
    # The number, the year, the kind and the community: never the worker's name.
    return Item(KIND, f"{_t('Adjustment')} #{a.pk} · {a.year} · {a.get_kind_display()} · "
                f"{a.worker.community.name}", due_date(a.proposed_at),
                reverse("workforce:adjustment", args=[a.pk]))


@producer(KIND, label=_("Cadre adjustments to approve"), society="district", item=_item,
          order_by=("proposed_at", "id"))
def adjustments_to_approve(actor: Actor) -> QuerySet[Adjustment]:
    qs = (Adjustment.objects.unscoped(reason="inbox: filtered to the actor's paths below")
          .filter(state=AdjustmentState.PROPOSED, engagement=Engagement.HIRED)
          .exclude(proposed_by=user_or_none(actor))
          .select_related("worker__community"))
    if scope.is_superuser(actor):
        return qs
    paths = [p for p in scope.paths(actor, APPROVE) if len(p) < COMMUNITY_PATH]
    if not paths:
        return qs.none()
    q = Q()
    for p in paths:
        q |= scope.subtree_q("region_path", p)
    return qs.filter(q)
