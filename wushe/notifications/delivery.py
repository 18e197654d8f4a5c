"""Sending the outbox: one delivery at a time (the ``deliver`` task), and the periodic round
that re-enqueues what is due, releases what quiet hours held and folds the daily digests.

At most once: ``deliver_one`` first claims the row with one conditional UPDATE (pending or
retrying, and due → sending). A second task for the same row (a retried task, the periodic
round racing the first enqueue) finds nothing to claim and returns. While a row is ``sending``
its ``next_at`` is the moment the send started; a row left in ``sending`` longer than
WUSHE_NOTIFY_STUCK_SECONDS (its worker died mid-send) is treated like an unknown outcome.

Outcomes (channels.py): sent → SENT; retry → RETRYING after 30 s × 4^(n-1) (n = attempts so
far), FAILED after WUSHE_NOTIFY_MAX_ATTEMPTS; failed → FAILED; unknown → FAILED ("not retried
to avoid a duplicate") unless the SMS gateway de-duplicates (WUSHE_SMS_IDEMPOTENT).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from collections import Counter, defaultdict
from functools import partial
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from wushe.notifications import channels
from wushe.notifications.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Preference,
    SmsQuota,
)
from wushe.notifications.send import ONE_TIME_SECRETS, Address, _local, absolute_link, resolve

log = logging.getLogger(__name__)

UNKNOWN_NOT_RETRIED = "outcome unknown, not retried to avoid a duplicate"
# A PENDING row is enqueued when it is made; the round re-enqueues it only if it waited this
# long (its enqueue was lost), not to double every task.
PENDING_GRACE = dt.timedelta(seconds=60)
ROUND_LIMIT = 2000


def backoff(attempts: int) -> dt.timedelta:
    """The wait after the n-th failed attempt that may be retried: 30 s, 2 min, 8 min, 32 min …"""
    return dt.timedelta(seconds=settings.WUSHE_NOTIFY_BACKOFF_SECONDS * 4 ** max(0, attempts - 1))


def _finish(delivery: Delivery, state: str, *, error: str = "", now: dt.datetime,
            **extra: Any) -> bool:
    """Leave ``sending`` (only if the row is still ours: the stuck round may have taken it).
    A one-time secret in the text (a confirmation code) is blanked once the message has gone or
    will not go: the outbox page must not show a resident's code to staff."""
    pattern = ONE_TIME_SECRETS.get(delivery.kind)
    if pattern is not None and state != DeliveryState.RETRYING:
        extra["text"] = pattern.sub(_blank, delivery.text)
    return bool(Delivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
        state=state, last_error=error[:300], **extra))


def _blank(match: re.Match[str]) -> str:
    return match.group(0).replace(match.group(1), "•" * len(match.group(1)))


def _take_quota(bidx: str, day: dt.date) -> bool:
    """One more SMS to this phone today, if under the cap (atomic on every database)."""
    with transaction.atomic():
        SmsQuota.objects.get_or_create(phone_bidx=bidx, day=day)
        return bool(SmsQuota.objects.filter(
            phone_bidx=bidx, day=day, sent__lt=settings.WUSHE_SMS_PER_PHONE_PER_DAY,
        ).update(sent=F("sent") + 1))


def _give_back_quota(bidx: str, day: dt.date) -> None:
    SmsQuota.objects.filter(phone_bidx=bidx, day=day, sent__gt=0).update(sent=F("sent") - 1)


def _phone_bidx(address: Address) -> str:
    if address.phone_bidx:
        return address.phone_bidx
    from wushe.core.crypto import blind_index

    return blind_index(address.value)


def deliver_one(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Send one delivery if it is due and nobody else has it; returns its new state (or
    "not claimed")."""
    now = now or timezone.now()
    claimed = Delivery.objects.filter(
        pk=delivery_id, state__in=(DeliveryState.PENDING, DeliveryState.RETRYING),
        next_at__lte=now,
    ).update(state=DeliveryState.SENDING, next_at=now)
    if not claimed:
        return "not claimed"
    delivery = Delivery.objects.get(pk=delivery_id)
    try:
        address = resolve(delivery.resolver, delivery.ref)
    except Exception as exc:  # a resolver's bug must not leave the row in "sending"
        log.exception("notifications: resolver %s failed for delivery %s",
                      delivery.resolver, delivery.pk)
        _finish(delivery, DeliveryState.FAILED, error=f"resolver error: {type(exc).__name__}",
                now=now)
        return DeliveryState.FAILED
    if address is None:
        _finish(delivery, DeliveryState.SKIPPED, error="no address", now=now)
        return DeliveryState.SKIPPED

    quota_key: tuple[str, dt.date] | None = None
    if delivery.channel == "sms":
        quota_key = (_phone_bidx(address), _local(now).date())
        if not _take_quota(*quota_key):
            _finish(delivery, DeliveryState.SKIPPED, error="cap", now=now)
            return DeliveryState.SKIPPED

    with transaction.atomic():  # the unmask is logged before the address leaves
        if address.on_use is not None:
            address.on_use()
        Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    attempts = delivery.attempts + 1

    started = time.perf_counter()
    try:
        result = channels.get_channel(delivery.channel).send(address, delivery.text, delivery.key)
    except Exception as exc:  # we cannot tell whether it went out
        log.exception("notifications: channel %s raised for delivery %s",
                      delivery.channel, delivery.pk)
        result = channels.SendResult(channels.UNKNOWN, f"channel error: {type(exc).__name__}")
    ms = int((time.perf_counter() - started) * 1000)

    done = timezone.now() if now is None else now
    with transaction.atomic():
        DeliveryAttempt.objects.create(delivery=delivery, at=done, outcome=result.outcome,
                                       detail=result.detail[:300], ms=ms)
        state = _apply(delivery, result, attempts=attempts, now=done)
    if quota_key is not None and result.outcome in (channels.RETRY, channels.FAILED):
        _give_back_quota(*quota_key)  # nothing reached the phone
    if state == DeliveryState.RETRYING:
        schedule_retry(delivery.pk)
    return state


def schedule_retry(delivery_id: int) -> None:
    """Enqueue the retry for its time when the task backend can defer (the database queue);
    otherwise (or if this fails) the periodic round enqueues it once it is due."""
    from wushe.notifications.tasks import deliver

    if not deliver.get_backend().supports_defer:
        return
    next_at = Delivery.objects.filter(pk=delivery_id).values_list("next_at", flat=True).first()
    if next_at is None:
        return
    try:
        transaction.on_commit(partial(deliver.using(run_after=next_at).enqueue, str(delivery_id)))
    except Exception:  # the round is the fallback
        log.warning("notifications: could not schedule the retry of delivery %s", delivery_id)


def _apply(delivery: Delivery, result: channels.SendResult, *, attempts: int,
           now: dt.datetime) -> str:
    outcome = result.outcome
    if outcome == channels.SENT:
        _finish(delivery, DeliveryState.SENT, now=now, sent_at=now,
                gateway_id=result.gateway_id[:80])
        return DeliveryState.SENT
    if outcome == channels.UNKNOWN and not (delivery.channel == "sms"
                                            and settings.WUSHE_SMS_IDEMPOTENT):
        _finish(delivery, DeliveryState.FAILED, error=f"{UNKNOWN_NOT_RETRIED} ({result.detail})",
                now=now)
        return DeliveryState.FAILED
    if outcome in (channels.RETRY, channels.UNKNOWN):
        if attempts >= settings.WUSHE_NOTIFY_MAX_ATTEMPTS:
            _finish(delivery, DeliveryState.FAILED,
                    error=f"gave up after {attempts} attempts ({result.detail})", now=now)
            return DeliveryState.FAILED
        _finish(delivery, DeliveryState.RETRYING, error=result.detail, now=now,
                next_at=now + backoff(attempts))
        return DeliveryState.RETRYING
    _finish(delivery, DeliveryState.FAILED, error=result.detail or "failed", now=now)
    return DeliveryState.FAILED


# --- the periodic round ------------------------------------------------------------------------

def enqueue(delivery_id: int) -> None:
    from wushe.notifications.tasks import deliver

    deliver.enqueue(str(delivery_id))


def recover_stuck(now: dt.datetime) -> int:
    """Rows left in ``sending`` by a worker that died mid-send: the message may have gone out,
    so they are an unknown outcome (failed, or retried if the gateway de-duplicates)."""
    limit = now - dt.timedelta(seconds=settings.WUSHE_NOTIFY_STUCK_SECONDS)
    count = 0
    for delivery in Delivery.objects.filter(state=DeliveryState.SENDING, next_at__lt=limit):
        with transaction.atomic():
            DeliveryAttempt.objects.create(delivery=delivery, at=now, outcome=channels.UNKNOWN,
                                           detail="the worker stopped mid-send")
            _apply(delivery, channels.SendResult(channels.UNKNOWN, "worker stopped mid-send"),
                   attempts=delivery.attempts, now=now)
        count += 1
    return count


def kind_label(kind: str) -> str:
    """What a kind reads as: a work producer's label ("Needs to dispatch"); never its code."""
    from wushe.inbox.registry import PRODUCERS

    producer = PRODUCERS.get(kind)
    return str(producer.label) if producer is not None else _("Other notices")


def digest_text(kinds: Counter[str]) -> str:
    """Labels and counts and the link: no personal data."""
    counted: Counter[str] = Counter()
    for kind, n in kinds.items():
        counted[kind_label(kind)] += n
    listed = "; ".join(f"{label} × {n}" for label, n in sorted(counted.items()))
    return _("Your daily digest: %(items)s. %(link)s") % {
        "items": listed, "link": absolute_link("/notifications/")}


def release_held(now: dt.datetime) -> tuple[int, int]:
    """HELD rows whose time has come: an account with the digest on gets them folded into one
    digest delivery per channel (the folded ones become SKIPPED "in digest"); the others (quiet
    hours over) become PENDING. Returns (released, digests)."""
    due = list(Delivery.objects.filter(state=DeliveryState.HELD, next_at__lte=now)
               .select_related("notification").order_by("id")[:ROUND_LIMIT])
    if not due:
        return 0, 0
    recipients = {d.notification.recipient_id for d in due if d.notification is not None}
    digest_on = set(Preference.objects.filter(user_id__in=recipients, digest=True)
                    .values_list("user_id", flat=True))
    groups: dict[tuple[int, str], list[Delivery]] = defaultdict(list)
    released: list[int] = []
    for d in due:
        if d.notification is not None and d.notification.recipient_id in digest_on:
            groups[(d.notification.recipient_id, d.channel)].append(d)
        else:
            released.append(d.pk)
    if released:
        Delivery.objects.filter(pk__in=released, state=DeliveryState.HELD).update(
            state=DeliveryState.PENDING, next_at=now)
    digests = 0
    day = _local(now).date().isoformat()
    for (user_id, channel), rows in groups.items():
        with transaction.atomic():
            folded = Delivery.objects.filter(pk__in=[r.pk for r in rows],
                                             state=DeliveryState.HELD)
            kinds: Counter[str] = Counter()
            for r in rows:
                kinds[r.kind] += r.notification.count if r.notification is not None else 1
            if not folded.update(state=DeliveryState.SKIPPED, last_error="in digest"):
                continue
            digest, fresh = Delivery.objects.get_or_create(
                key=f"digest:{user_id}:{channel}:{day}",
                defaults={"channel": channel, "resolver": rows[0].resolver, "ref": rows[0].ref,
                          "kind": "notifications.digest", "text": digest_text(kinds),
                          "state": DeliveryState.PENDING, "next_at": now, "created_at": now})
            if fresh:
                digests += 1
                transaction.on_commit(partial(enqueue, digest.pk))
    for pk in released:
        enqueue(pk)
    return len(released), digests


def deliver_due(now: dt.datetime | None = None) -> dict[str, Any]:
    """The periodic round (every 30 s): recover stuck sends, release held rows and fold the
    digests, enqueue what is due (retries whose wait is over, pending rows whose enqueue was
    lost). Idempotent: the claim decides who sends."""
    now = now or timezone.now()
    stuck = recover_stuck(now)
    released, digests = release_held(now)
    due = list(Delivery.objects.filter(state=DeliveryState.RETRYING, next_at__lte=now)
               .values_list("pk", flat=True)[:ROUND_LIMIT])
    due += list(Delivery.objects.filter(state=DeliveryState.PENDING,
                                        next_at__lte=now - PENDING_GRACE)
                .values_list("pk", flat=True)[:ROUND_LIMIT])
    for pk in due:
        enqueue(pk)
    return {"stuck": stuck, "released": released, "digests": digests, "enqueued": len(due)}
