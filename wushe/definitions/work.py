"""Work items of the KPI dictionary: a proposed version waits for a second district admin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wushe.definitions import selectors
from wushe.definitions.models import DictionaryVersion
from wushe.inbox.registry import Item, producer

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _item(v: DictionaryVersion) -> Item:
    return Item("definitions.version.approve",
                _t("KPI dictionary version %(n)s") % {"n": v.number}, None,
                reverse("definitions:detail", args=[v.pk]))


@producer("definitions.version.approve", label=_("KPI dictionary versions to approve"),
          society="district", item=_item, order_by=("created_at", "id"))
def versions_to_approve(actor: Actor) -> QuerySet[DictionaryVersion]:
    return selectors.awaiting_approval(actor=actor)
