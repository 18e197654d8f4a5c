"""The needs' step hook: a need's 受理, 办结 and 回访 queue a status update for its order."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from wushe.hotline import push
from wushe.hotline.models import Order, UpdateKind
from wushe.needs.hooks import on_step
from wushe.needs.models import Need


def need_stepped(need_id: int, action: str, from_state: str, to_state: str) -> None:
    """The needs hook: 办结 and 回访 of a need that came from an order become updates."""
    from wushe.needs.models import FollowUp
    from wushe.needs.workflow import Action, State

    if action not in (Action.RESOLVE, Action.FOLLOW_UP, Action.RATE, Action.ACCEPT):
        return
    order = Order.objects.unscoped(reason="hook: the calling service authorised it").filter(need_id=need_id).select_related("need").first()
    if order is None:
        return
    need: Need = order.need
    with transaction.atomic():
        if action == Action.ACCEPT:
            push.update_queue(order=order, kind=UpdateKind.ACCEPTED, at=need.accepted_at or timezone.now())
        elif action == Action.RESOLVE:
            push.update_queue(order=order, kind=UpdateKind.RESOLVED, at=need.resolved_at or timezone.now(),
                         result=need.result, on_time=need.resolved_on_time)
        else:
            if action == Action.FOLLOW_UP and need.state == State.CLOSED:
                return  # a follow-up with a score: the rating's step sends it
            last = FollowUp.objects.unscoped(reason="hook: the calling service authorised it").filter(need_id=need_id).order_by("-at", "-id").first()
            push.update_queue(order=order, kind=UpdateKind.VISITED,
                         at=last.at if last else timezone.now(),
                         method=last.method if last else "", satisfaction=need.satisfaction)


on_step(need_stepped)
