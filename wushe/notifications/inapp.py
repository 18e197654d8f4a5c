"""Writes of an account over its own notifications and preference, and the outbox's retry.

``notification_read`` / ``notification_read_all``: the account's own only (another's is 404).
``preference_update``: channels, the mobile for SMS (a mainland mobile, ASCII or full-width
digits only; stored encrypted, never in the audit data), quiet hours, the digest; audited.
``delivery_retry``: a FAILED delivery back to PENDING and enqueued after commit; district
administrators (``notifications.outbox``) only; audited.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from wushe.audit import recorder as audit
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.ids import normalize_phone
from wushe.core.services import service
from wushe.notifications import selectors
from wushe.notifications.audit_codes import NotificationsAction
from wushe.notifications.models import Delivery, DeliveryState, Notification, Preference

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

BOOL_FIELDS = ("email", "sms", "chat", "quiet_hours", "digest")


@service
def notification_read(*, actor: Actor, notification_id: int) -> Notification:
    n = selectors.notification_get(actor=actor, notification_id=notification_id)
    if n.read_at is None:
        n.read_at = timezone.now()
        n.save(update_fields=["read_at"])
    selectors.forget_unread(actor)
    return n


@service
def notification_read_all(*, actor: Actor) -> int:
    done = selectors.notifications(actor=actor).filter(read_at__isnull=True).update(
        read_at=timezone.now())
    selectors.forget_unread(actor)
    return done


def sms_mobile(raw: object) -> str:
    """A mainland mobile: 11 digits 1[3-9]…, ASCII or full-width (other scripts' digits and
    invisible characters refused); "" clears it."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return ""
    if not isinstance(raw, str):
        raise ValidationFailed("手机号应为文本", "The mobile must be text", code="phone_format",
                               field="phone")
    phone = normalize_phone(raw)
    if len(phone) != 11 or phone[0] != "1":
        raise ValidationFailed("短信只能发往11位大陆手机号", "SMS go to an 11-digit mainland mobile only",
                               code="phone_format", field="phone")
    return phone


def _flag(value: object, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ValidationFailed("应为 true 或 false", "Must be true or false", code="invalid",
                           field=field)


@service
def preference_update(*, actor: Actor, phone: object = ..., **flags: object) -> Preference:
    """Change the actor's own preference: any of email, sms, chat, quiet_hours, digest (bools)
    and phone (… leaves it as it is). SMS on needs a mobile."""
    if not actor.pk:
        raise NotFound()
    unknown = set(flags) - set(BOOL_FIELDS)
    if unknown:
        raise ValidationFailed("未知的设置项", "Unknown setting", field=sorted(unknown)[0])
    pref = Preference.objects.select_for_update().filter(user_id=actor.pk).first()
    if pref is None:
        pref = Preference(user_id=actor.pk)
    before = {f: getattr(pref, f) for f in BOOL_FIELDS}
    had_phone = bool(pref.phone)
    for field, value in flags.items():
        setattr(pref, field, _flag(value, field))
    phone_changed = False
    if phone is not ...:
        new_phone = sms_mobile(phone)
        phone_changed = new_phone != (pref.phone or "")
        pref.phone = new_phone
    if pref.sms and not pref.phone:
        raise ValidationFailed("开启短信通知需填写手机号", "SMS needs a mobile number",
                               code="phone_required", field="phone")
    pref.save()
    after = {f: getattr(pref, f) for f in BOOL_FIELDS}
    # No phone in the audit data: only whether one is set and whether it changed.
    audit.record(actor=actor, action=NotificationsAction.PREFERENCE_CHANGED, target=pref,
                 region_path="",
                 data={"changed": {f: [before[f], after[f]] for f in BOOL_FIELDS
                                   if before[f] != after[f]},
                       "phone_set": bool(pref.phone), "phone_changed": phone_changed,
                       "had_phone": had_phone})
    return pref


@service
def delivery_retry(*, actor: Actor, delivery_id: int) -> Delivery:
    selectors.require_outbox(actor)
    d = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    if d is None:
        raise NotFound("投递记录不存在", "Delivery not found")
    if d.state != DeliveryState.FAILED:
        raise ValidationFailed("只能重发失败的消息", "Only a failed message can be retried",
                               code="not_failed", field="state")
    d.state = DeliveryState.PENDING
    d.next_at = timezone.now()
    d.save(update_fields=["state", "next_at"])
    audit.record(actor=actor, action=NotificationsAction.DELIVERY_RETRIED, target=d,
                 region_path="", label=d.kind, data={"channel": d.channel, "attempts": d.attempts})
    from wushe.notifications.delivery import enqueue

    delivery_id_ = d.pk
    transaction.on_commit(lambda: enqueue(delivery_id_))
    return d
