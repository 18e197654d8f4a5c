"""The status updates back to the 12345 platform: queued inside the writing service's
transaction (an order received, a need's step), then pushed by a task after commit or by the
periodic round, claimed first so two workers never send one twice. Delivery machinery, like
the notifications' deliveries: the audited act is the write that queued the update."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wushe.hotline import signing
from wushe.hotline.models import HotlineUpdate, Order, UpdateState

log = logging.getLogger(__name__)


def update_queue(*, order: Order, kind: str, at: dt.datetime, **extra: Any) -> HotlineUpdate:
    """Queue one update (inside the caller's transaction); pushed after commit when a push URL
    is set. The payload carries no contact detail: the result text is staff-written."""
    upd = HotlineUpdate(order=order, kind=kind)
    upd.payload = {"update_id": str(upd.uid), "order_number": order.number, "status": kind,
                   "at": at.isoformat(), "tracking_code": order.need.tracking_code, **extra}
    upd.save()
    if settings.WUSHE_HOTLINE_PUSH_URL:
        transaction.on_commit(lambda: _enqueue(upd.pk))
    return upd


def _enqueue(update_id: int) -> None:
    from wushe.hotline.tasks import push

    try:
        push.enqueue(str(update_id))
    except Exception:  # the queue is down: the periodic round sends it
        log.exception("hotline push could not be enqueued (update %s)", update_id)


def _backoff(attempts: int) -> dt.timedelta:
    base = settings.WUSHE_HOTLINE_RETRY_SECONDS
    return dt.timedelta(seconds=min(3600, base * 2 ** max(0, attempts - 1)))


def push_one(update_id: int) -> str:
    """Send one update. Claimed with a conditional UPDATE first, so two workers never send it
    at once; a timeout or a 5xx is retried with backoff (the platform dedupes on update_id, so
    a retry of an update it did receive is harmless); another 4xx fails it, except 409 (the
    platform already has it)."""
    url = settings.WUSHE_HOTLINE_PUSH_URL
    if not url:
        return "no_url"
    from wushe.notifications.channels import FAILED, post_json

    now = timezone.now()
    lease = dt.timedelta(seconds=settings.WUSHE_HOTLINE_PUSH_TIMEOUT * 3 + 60)
    claimed = (HotlineUpdate.objects
               .filter(pk=update_id, state__in=(UpdateState.PENDING, UpdateState.RETRYING),
                       next_at__lte=now)
               .update(state=UpdateState.SENDING, attempts=F("attempts") + 1, next_at=now + lease))
    if not claimed:
        return "skipped"
    upd = HotlineUpdate.objects.get(pk=update_id)
    body = json.dumps(upd.payload, ensure_ascii=False, sort_keys=True).encode()
    path = url.split("://", 1)[-1]
    path = "/" + path.split("/", 1)[1] if "/" in path else "/"
    decided, status, _answer = post_json(url, body, settings.WUSHE_HOTLINE_PUSH_TIMEOUT,
                                         signing.sign_headers("POST", path, body))
    now = timezone.now()
    if decided is None or status == 409:
        upd.state, upd.sent_at, upd.last_error = UpdateState.SENT, now, ""
    elif decided.outcome == FAILED or upd.attempts >= settings.WUSHE_HOTLINE_MAX_ATTEMPTS:
        upd.state, upd.last_error = UpdateState.FAILED, decided.detail[:200]
    else:
        upd.state, upd.next_at = UpdateState.RETRYING, now + _backoff(upd.attempts)
        upd.last_error = decided.detail[:200]
    upd.save(update_fields=["state", "sent_at", "last_error", "next_at"])
    log.info("hotline update %s %s (attempt %s)", upd.pk, upd.state, upd.attempts)
    return str(upd.state)


def push_due(limit: int = 200) -> dict[str, int]:
    """The periodic round: every update due (new, retrying, or stuck in sending past its lease
    by a dead worker), oldest first."""
    if not settings.WUSHE_HOTLINE_PUSH_URL:
        return {"pushed": 0}
    now = timezone.now()
    stuck = (HotlineUpdate.objects.filter(state=UpdateState.SENDING, next_at__lte=now)
             .update(state=UpdateState.RETRYING))
    due = list(HotlineUpdate.objects
               .filter(state__in=(UpdateState.PENDING, UpdateState.RETRYING), next_at__lte=now)
               .order_by("next_at", "id").values_list("pk", flat=True)[:limit])
    outcomes: dict[str, int] = {"stuck": stuck}
    for pk in due:
        outcome = push_one(pk)
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    return outcomes
