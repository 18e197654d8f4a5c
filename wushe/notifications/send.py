"""Sending: tell accounts (in the app, and on the channels their preference turns on) and send
one message to an address that is not an account.

Not a services module: both are called inside the calling app's service, which checked its
permission and writes the audit event of the act being told; the rows they write (notifications
and deliveries) are machinery (``core.services.UNAUDITED_TABLES``). Both are called inside the
caller's transaction (a need's dispatch, the work scan …); the
deliveries they create are enqueued as tasks after that transaction commits. A delivery never
stores its address: a registered *resolver* finds it at send time (``resolver(name)``), so a
phone is decrypted only when a message goes out, and the resolver's ``on_use`` logs that like
any unmasked view.

Interface used by the other parts of issue #17 (keep it stable)::

    notify_accounts(users=…, kind=…, key=…, title=…, link=…, due=None, urgent=False, count=1)
    notify_address(resolver="needs.contact", ref=need.pk, kind=…, key=…, text=…)
    @resolver("needs.contact")
    def contact(ref: int) -> Address | None: ...
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.notifications.models import (
    Channel,
    Delivery,
    DeliveryState,
    Notification,
    Preference,
)

if TYPE_CHECKING:
    from wushe.accounts.models import User


@dataclass(frozen=True)
class Address:
    value: str                      # plaintext address (email, phone, webhook url), only in memory
    phone_bidx: str | None = None   # blind index of a phone: the per-phone daily SMS cap keys on it
    on_use: Callable[[], None] | None = None  # called in the send transaction: audit of the unmask

    def __repr__(self) -> str:  # never the address in a traceback or a log line
        return "Address(…)"


Resolver = Callable[[int], Address | None]
RESOLVERS: dict[str, Resolver] = {}


def resolver(name: str) -> Callable[[Resolver], Resolver]:
    """Register how to find the address for (name, ref) at send time; None = no address (the
    delivery is SKIPPED)."""
    if len(name) > 40:
        raise ValueError("a resolver's name has at most 40 characters")

    def deco(fn: Resolver) -> Resolver:
        RESOLVERS[name] = fn
        return fn

    return deco


# Kinds whose text holds a one-time secret (group 1 of the pattern: a confirmation code),
# blanked in the outbox once the message has left; the message itself carries it.
ONE_TIME_SECRETS: dict[str, re.Pattern[str]] = {}


def one_time_secret(kind: str, pattern: str) -> None:
    """Declare that messages of ``kind`` carry a secret matched by group 1 of ``pattern``."""
    ONE_TIME_SECRETS[kind] = re.compile(pattern)


def resolve(name: str, ref: int) -> Address | None:
    fn = RESOLVERS.get(name)
    if fn is None:
        return None
    return fn(ref)


# --- time: quiet hours and the digest ------------------------------------------------------

QUIET_START = 22  # 22:00–08:00 local time (settings.TIME_ZONE), issue #17
QUIET_END = 8


def _local(now: dt.datetime) -> dt.datetime:
    return now.astimezone(ZoneInfo(settings.TIME_ZONE))


def in_quiet_hours(now: dt.datetime) -> bool:
    hour = _local(now).hour
    return hour >= QUIET_START or hour < QUIET_END


def next_local_hour(now: dt.datetime, hour: int) -> dt.datetime:
    """The next time the local clock shows ``hour``:00 (strictly after ``now``)."""
    local = _local(now)
    at = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    if at <= local:
        at += dt.timedelta(days=1)
    return at


def quiet_release_at(now: dt.datetime) -> dt.datetime:
    return next_local_hour(now, QUIET_END)


def digest_at(now: dt.datetime) -> dt.datetime:
    return next_local_hour(now, settings.WUSHE_NOTIFY_DIGEST_HOUR)


def absolute_link(path: str) -> str:
    """A link an SMS or an email can carry: WUSHE_PUBLIC_BASE_URL + path (a full URL as is)."""
    if not path or "://" in path:
        return path
    return settings.WUSHE_PUBLIC_BASE_URL.rstrip("/") + "/" + path.lstrip("/")


def _enqueue_after_commit(delivery_id: int) -> None:
    from wushe.notifications.tasks import deliver

    transaction.on_commit(lambda: deliver.enqueue(str(delivery_id)))


def account_text(*, title: str, link: str, due: dt.date | None, count: int) -> str:
    """The text of a staff message: what kind of work, how many, when due, the link."""
    parts = [title]
    if count > 1:
        parts.append(_("(%(count)d items)") % {"count": count})
    if due is not None:
        parts.append(_("due %(date)s") % {"date": due.isoformat()})
    if link:
        parts.append(absolute_link(link))
    return " ".join(parts)


# --- sending ----------------------------------------------------------------------------------

ACCOUNT_RESOLVERS = {Channel.EMAIL: "account.email", Channel.SMS: "account.phone",
                     Channel.CHAT: "chat"}


def notify_accounts(*, users: Iterable[User], kind: str, key: str, title: str, link: str,
                    due: dt.date | None = None, urgent: bool = False, count: int = 1,
                    now: dt.datetime | None = None) -> list[Notification]:
    """In-app notification for each user (idempotent on (user, key)) plus one Delivery per
    channel the user's Preference turns on (email/sms/chat), HELD for quiet hours or the digest
    unless urgent; the deliveries are enqueued as tasks after commit. Call inside the caller's
    transaction. Returns the notifications created now (a key already announced to a user
    creates nothing for that user)."""
    now = now or timezone.now()
    users = list(users)
    if not users:
        return []
    key = key[:120]
    prefs = {p.user_id: p for p in Preference.objects.filter(user__in=[u.pk for u in users])}
    created: list[Notification] = []
    with transaction.atomic():
        for user in users:
            notification, new = Notification.objects.get_or_create(
                recipient=user, key=key,
                defaults={"kind": kind[:64], "title": title[:200], "link": link[:300],
                          "due": due, "urgent": urgent, "count": count, "created_at": now})
            if not new:
                continue
            created.append(notification)
            pref = prefs.get(user.pk)
            if pref is None:
                continue
            channels = [c for c, on in ((Channel.EMAIL, pref.email), (Channel.SMS, pref.sms),
                                        (Channel.CHAT, pref.chat)) if on]
            if not channels:
                continue
            state, next_at = DeliveryState.PENDING, now
            if not urgent and pref.digest:
                state, next_at = DeliveryState.HELD, digest_at(now)
            elif not urgent and pref.quiet_hours and in_quiet_hours(now):
                state, next_at = DeliveryState.HELD, quiet_release_at(now)
            text = account_text(title=title, link=link, due=due, count=count)
            for channel in channels:
                delivery, fresh = Delivery.objects.get_or_create(
                    key=f"{key}:{user.pk}:{channel}"[:160],
                    defaults={"channel": channel, "notification": notification,
                              "resolver": ACCOUNT_RESOLVERS[channel],
                              "ref": 0 if channel == Channel.CHAT else user.pk,
                              "kind": kind[:64], "text": text, "urgent": urgent, "state": state,
                              "next_at": next_at, "created_at": now})
                if fresh and state == DeliveryState.PENDING:
                    _enqueue_after_commit(delivery.pk)
    return created


def notify_address(*, resolver: str, ref: int, kind: str, key: str, text: str,
                   channel: str = "sms", urgent: bool = True,
                   now: dt.datetime | None = None) -> Delivery:
    """One message to an address that is not an account (a resident's phone). Idempotent on
    key: a key already used returns its delivery and sends nothing more. A message that is not
    urgent waits out the quiet hours. The per-phone daily cap (WUSHE_SMS_PER_PHONE_PER_DAY) is
    checked at send time."""
    now = now or timezone.now()
    if channel not in Channel.values or channel == Channel.INAPP:
        raise ValueError(f"not a sending channel: {channel!r}")
    if resolver not in RESOLVERS:
        raise ValueError(f"unknown address resolver: {resolver!r}")
    state, next_at = DeliveryState.PENDING, now
    if not urgent and in_quiet_hours(now):
        state, next_at = DeliveryState.HELD, quiet_release_at(now)
    with transaction.atomic():
        delivery, fresh = Delivery.objects.get_or_create(
            key=key[:160],
            defaults={"channel": channel, "resolver": resolver, "ref": ref, "kind": kind[:64],
                      "text": text, "urgent": urgent, "state": state, "next_at": next_at,
                      "created_at": now})
        if fresh and state == DeliveryState.PENDING:
            _enqueue_after_commit(delivery.pk)
    return delivery


# --- built-in resolvers ------------------------------------------------------------------------

@resolver("account.email")
def account_email(ref: int) -> Address | None:
    from wushe.accounts.models import User

    email = User.objects.filter(pk=ref, is_active=True).values_list("email", flat=True).first()
    return Address(value=email) if email else None


@resolver("account.phone")
def account_phone(ref: int) -> Address | None:
    from wushe.core.crypto import blind_index
    from wushe.core.errors import WusheError
    from wushe.core.ids import normalize_phone

    pref = (Preference.objects.filter(user_id=ref, user__is_active=True)
            .select_related("user").first())
    if pref is None or not pref.phone:
        return None
    try:
        phone = normalize_phone(pref.phone)
    except WusheError:
        return None
    user = pref.user

    def on_use() -> None:
        from wushe.audit import recorder as audit
        from wushe.notifications.audit_codes import NotificationsAction

        audit.record(actor=None, action=NotificationsAction.ADDRESS_UNMASKED, target=user,
                     data={"field": "phone", "purpose": "notification"})

    return Address(value=phone, phone_bidx=blind_index(phone), on_use=on_use)


@resolver("chat")
def chat_webhook(ref: int) -> Address | None:
    url = settings.WUSHE_CHAT_WEBHOOK_URL
    return Address(value=url) if url else None
