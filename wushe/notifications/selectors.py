"""Reads of the notifications app: an account's own notifications and preference, the outbox
(district administrators with ``notifications.outbox``; anyone else finds nothing)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.notifications.models import Delivery, DeliveryState, Notification, Preference

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

OUTBOX = "notifications.outbox"
UNREAD_ATTR = "_wushe_unread_notifications"


def notifications(*, actor: Actor) -> QuerySet[Notification]:
    """The actor's own notifications, newest first (nobody's when not signed in)."""
    if not getattr(actor, "pk", None):
        return Notification.objects.none()
    return Notification.objects.filter(recipient_id=actor.pk).order_by("-created_at", "-id")


def notification_get(*, actor: Actor, notification_id: int) -> Notification:
    """One of the actor's own; another account's answers like a missing one."""
    found = notifications(actor=actor).filter(pk=notification_id).first()
    if found is None:
        raise NotFound("通知不存在", "Notification not found")
    return found


def unread_count(*, actor: Actor) -> int:
    """The bell's count: one indexed count (recipient, read_at), cached on the user object for
    the request."""
    cached = getattr(actor, UNREAD_ATTR, None)
    if cached is None:
        cached = notifications(actor=actor).filter(read_at__isnull=True).count()
        if getattr(actor, "pk", None):
            setattr(actor, UNREAD_ATTR, cached)
    return int(cached)


def forget_unread(actor: Actor) -> None:
    if hasattr(actor, UNREAD_ATTR):
        delattr(actor, UNREAD_ATTR)


def preference(*, actor: Actor) -> Preference:
    """The actor's preference, or the defaults (unsaved) when never set."""
    if actor.pk is None:  # anonymous: the defaults
        return Preference()
    found = Preference.objects.filter(user_id=actor.pk).first()
    return found if found is not None else Preference(user_id=actor.pk)


def may_see_outbox(actor: Actor) -> bool:
    return bool(getattr(actor, "is_authenticated", False)) and scope.has_perm(actor, OUTBOX)


def require_outbox(actor: Actor) -> None:
    """Out of permission answers like a missing page (404)."""
    if not may_see_outbox(actor):
        raise NotFound()


def deliveries(*, actor: Actor, state: str = "", channel: str = "") -> QuerySet[Delivery]:
    require_outbox(actor)
    qs = Delivery.objects.all().order_by("-created_at", "-id")
    if state:
        qs = qs.filter(state=state)
    if channel:
        qs = qs.filter(channel=channel)
    return qs


def delivery_counts(*, actor: Actor) -> dict[str, int]:
    """Deliveries by state (every state listed, 0 when none)."""
    require_outbox(actor)
    counts = dict(Delivery.objects.order_by().values_list("state").annotate(n=Count("id")))
    return {s: int(counts.get(s, 0)) for s in DeliveryState.values}
