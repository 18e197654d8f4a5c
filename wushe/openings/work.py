"""Work items of the opening balances: a proposed balance waits for a second district admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wushe.inbox.registry import Item, producer
from wushe.openings import selectors
from wushe.openings.models import OpeningBalance

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _item(b: OpeningBalance) -> Item:
    from wushe.reports.kpis import KPIS

    kpi = KPIS.get(b.kpi_key)
    return Item("openings.balance.approve",
                f"{_t('Opening balance')} #{b.pk} · {kpi.zh if kpi else b.kpi_key}"
                f" · {b.region.name}", None, reverse("openings:detail", args=[b.pk]))


@producer("openings.balance.approve", label=_("Opening balances to approve"),
          society="district", item=_item, order_by=("proposed_at", "id"))
def balances_to_approve(actor: Actor) -> QuerySet[OpeningBalance]:
    return selectors.awaiting_approval(actor=actor)
