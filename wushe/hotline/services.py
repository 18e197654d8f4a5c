"""Writes of the 12345 exchange: an order received (it becomes a need through the needs intake
service, deduplicated by its number), its first status update queued (``push``).

An order is checked whole before anything is written (``orders``): a bad number, phone,
content, time or an unknown community is refused with a bilingual error and writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from wushe.audit import recorder as audit
from wushe.core.services import service
from wushe.hotline import push
from wushe.hotline.audit_codes import HotlineAction
from wushe.hotline.models import Order, OrderSource, UpdateKind
from wushe.hotline.orders import OrderValues, clean_number, clean_order, order_lookup
from wushe.needs.categories import Channel
from wushe.needs.services.intake import need_intake

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor




@dataclass(frozen=True)
class Received:
    order: Order
    created: bool


def _description(values: OrderValues) -> str:
    text = values.content
    if values.address:
        text += f"\n\n【12345 地址】{values.address}"
    return text


def _existing(number: str) -> Order | None:
    return Order.objects.unscoped(reason="feed: the district-wide 12345 orders").filter(number=number).select_related("need").first()


@service
def order_receive(*, actor: Actor, data: dict[str, Any]) -> Received:
    """An order from the platform's API. The same number again answers with the first order
    and its need, and writes nothing."""
    found = _existing(clean_number(data.get("number")))
    if found is not None:
        return Received(found, False)
    values = clean_order(data, order_lookup(actor))
    order = order_create(actor=actor, values=values, source=OrderSource.API)
    if order is None:  # lost a race with the same number
        found = _existing(values.number)
        assert found is not None
        return Received(found, False)
    return Received(order, True)


@service
def order_create(*, actor: Actor, values: OrderValues, source: str) -> Order | None:
    """The need (through the needs intake service, contact encrypted as usual), the order, its
    受理 update and the audit row; None when the number was taken meanwhile. Call inside a
    transaction."""
    try:
        with transaction.atomic():
            need = need_intake(
                actor=actor, channel=Channel.HOTLINE, region=values.community,
                category=values.category, description=_description(values),
                contact_name=values.contact_name, contact_phone=values.contact_phone,
                confirm_duplicate=True, source_ref=f"12345:{values.number}",
                received_at=values.received_at)
            order = Order.objects.create(
                number=values.number, need=need, region_path=need.region_path,
                received_at=values.received_at, channel=values.channel,
                platform_category=values.platform_category, deadline=values.deadline,
                source=source)
    except IntegrityError:
        if _existing(values.number) is None:
            raise
        return None
    push.update_queue(order=order, kind=UpdateKind.ACCEPTED, at=need.accepted_at or timezone.now())
    audit.record(actor=actor, action=HotlineAction.ORDER_RECEIVED, target=order,
                 label=order.number, region_path=order.region_path,
                 data={"need": need.tracking_code, "channel": order.channel,
                       "category": need.category, "community": values.community.code,
                       "source": source})
    return order
