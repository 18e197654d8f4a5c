"""Notifications at /api/v1: the account's own (``/me/notifications``, read, read-all), its
preference (``/me/notification-preferences``), and the outbox for district administrators
(``/notifications/deliveries``; anyone else: 404)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Path, Router, Schema
from pydantic import ConfigDict

from wushe.core.errors import ValidationFailed
from wushe.core.masking import mask_phone
from wushe.notifications import inapp, selectors
from wushe.notifications.models import Channel, DeliveryState

router = Router(tags=["me"])  # mounted at /api/v1/me
outbox_router = Router(tags=["notifications"])  # mounted at /api/v1/notifications

MAX_LIMIT = 200
MAX_OFFSET = 5000
Limit = Annotated[int, Field(ge=1, le=MAX_LIMIT)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]
RowId = Annotated[int, Path(ge=1, le=2**63 - 1)]


class NotificationOut(Schema):
    id: int
    kind: str
    title: str
    link: str
    due: dt.date | None
    urgent: bool
    count: int
    created_at: dt.datetime
    read_at: dt.datetime | None


class NotificationsOut(Schema):
    unread: int
    count: int
    items: list[NotificationOut]


class ReadAllOut(Schema):
    marked: int


class PreferenceOut(Schema):
    email: bool
    sms: bool
    chat: bool
    phone: str  # masked: 139****0001
    quiet_hours: bool
    digest: bool


class PreferenceIn(Schema):
    model_config = ConfigDict(extra="forbid")

    email: bool | None = None
    sms: bool | None = None
    chat: bool | None = None
    phone: str | None = Field(default=None, max_length=40)
    quiet_hours: bool | None = None
    digest: bool | None = None


class DeliveryOut(Schema):
    id: int
    kind: str
    channel: str
    state: str
    urgent: bool
    text: str
    attempts: int
    last_error: str
    created_at: dt.datetime
    next_at: dt.datetime
    sent_at: dt.datetime | None


class DeliveriesOut(Schema):
    counts: dict[str, int]
    count: int
    items: list[DeliveryOut]


@router.get("/notifications", response=NotificationsOut)
def my_notifications(request: HttpRequest, limit: Limit = 50,
                     offset: Offset = 0) -> dict[str, Any]:
    """The token's account's notifications, newest first, with the unread count."""
    qs = selectors.notifications(actor=request.user)
    return {"unread": selectors.unread_count(actor=request.user), "count": qs.count(),
            "items": list(qs[offset:offset + limit])}


@router.post("/notifications/read-all", response=ReadAllOut)
def my_notifications_read_all(request: HttpRequest) -> dict[str, int]:
    return {"marked": inapp.notification_read_all(actor=request.user)}


@router.post("/notifications/{notification_id}/read", response=NotificationOut)
def my_notification_read(request: HttpRequest, notification_id: RowId) -> Any:
    """Mark one of the account's own read (another account's: 404)."""
    return inapp.notification_read(actor=request.user, notification_id=notification_id)


def _preference_out(pref: Any) -> dict[str, Any]:
    return {"email": pref.email, "sms": pref.sms, "chat": pref.chat,
            "phone": mask_phone(pref.phone), "quiet_hours": pref.quiet_hours,
            "digest": pref.digest}


@router.get("/notification-preferences", response=PreferenceOut)
def my_preferences(request: HttpRequest) -> dict[str, Any]:
    return _preference_out(selectors.preference(actor=request.user))


@router.put("/notification-preferences", response=PreferenceOut)
def my_preferences_update(request: HttpRequest, body: PreferenceIn) -> dict[str, Any]:
    """Change any of the fields given (the others stay); ``phone`` "" clears it."""
    given = body.model_dump(exclude_none=True)
    phone = given.pop("phone", ...)
    pref = inapp.preference_update(actor=request.user, phone=phone, **given)
    return _preference_out(pref)


@outbox_router.get("/deliveries", response=DeliveriesOut)
def deliveries(request: HttpRequest, state: str = "", channel: str = "", limit: Limit = 50,
               offset: Offset = 0) -> dict[str, Any]:
    """The outbox (district administrators): messages by state and channel, newest first;
    counts by state. No address: a delivery never stores one."""
    if state and state not in DeliveryState.values:
        raise ValidationFailed("未知的状态", "Unknown state", field="state")
    if channel and channel not in Channel.values:
        raise ValidationFailed("未知的渠道", "Unknown channel", field="channel")
    qs = selectors.deliveries(actor=request.user, state=state, channel=channel)
    return {"counts": selectors.delivery_counts(actor=request.user), "count": qs.count(),
            "items": list(qs[offset:offset + limit])}


@outbox_router.post("/deliveries/{delivery_id}/retry", response=DeliveryOut)
def delivery_retry(request: HttpRequest, delivery_id: RowId) -> Any:
    return inapp.delivery_retry(actor=request.user, delivery_id=delivery_id)
