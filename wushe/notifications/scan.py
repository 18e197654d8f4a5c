"""Work items announced: the periodic ``notifications.work_scan`` and the escalation hook.

* ``work_scan`` (every 60 s): for each active account with a role grant, the ids of its current
  work items per producer (``inbox.registry.PRODUCERS``; each query is the actor's own, scoped)
  against its ``WorkSnapshot``. An id not seen before is a new item, announced once (key
  ``work:{code}:{id}``); more than ``BURST`` new items of one producer become one notification
  ("12 new: Needs to dispatch", linking to that kind's page). The first scan of an account, or
  of a producer newly applying to it (a new grant), only records: no flood at go-live.
* Escalations are announced by a ``needs.hooks.on_step`` hook of the needs app
  (``wushe/needs/notify_escalation.py``), not by the scan: the accounts of
  the level the need was escalated to (street: level 1, district: level 2) whose scope holds the
  need with ``needs.supervise``, urgent, key ``escalated:{need}:{level}`` (a second escalation of
  the same need is a new notification). The scan leaves the escalated producer out, so an
  escalation is never told twice nor to the level it left.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wushe.core.jobs import JobResult, periodic
from wushe.inbox.registry import PRODUCERS
from wushe.notifications.send import absolute_link, notify_accounts

log = logging.getLogger(__name__)

BURST = 5  # more new items of one kind than this, for one account, are one notification
URGENT = frozenset({"needs.need.escalated", "needs.need.overdue"})
# Announced by the escalation hook (per level), not by the scan.
BY_HOOK = frozenset({"needs.need.escalated"})
ESCALATED = "needs.need.escalated"
LEVEL_ROLES_REGION = {1: "street", 2: "district"}  # escalation level -> the region level told


def _notify(**kw: Any) -> Any:
    return notify_accounts(**kw)


def current_items(user: Any) -> dict[str, list[int]]:
    """The ids of the account's open items per producer that applies to it (one query each)."""
    out: dict[str, list[int]] = {}
    for code in sorted(PRODUCERS):
        if code in BY_HOOK:
            continue
        qs = PRODUCERS[code].query(user)
        if qs.query.is_empty():
            continue
        out[code] = sorted(set(qs.order_by().values_list("pk", flat=True)))
    return out


def _announce(user: Any, code: str, new: list[int]) -> int:
    """Announce one producer's new items to one account; the notifications made."""
    p = PRODUCERS[code]
    urgent = code in URGENT
    with translation.override(settings.LANGUAGE_CODE):
        if len(new) > BURST:
            title = _("%(n)d new: %(label)s") % {"n": len(new), "label": str(p.label)}
            link = absolute_link(reverse("inbox:work") + f"?kind={code}")
            _notify(users=[user], kind=code, key=f"work:{code}:burst:{new[0]}-{new[-1]}:{len(new)}",
                    title=title[:200], link=link, urgent=urgent, count=len(new))
            return 1
        objs = p.query(user).filter(pk__in=new)
        for obj in objs:
            item = p.item(obj)
            _notify(users=[user], kind=code, key=f"work:{code}:{obj.pk}", title=str(item.title)[:200],
                    link=absolute_link(item.link), due=item.due, urgent=urgent)
    return len(new)


def scan_account(user: Any) -> int:
    """Compare the account's items with its snapshot, announce the new ones, store the new
    snapshot (one transaction). Returns the notifications made."""
    from wushe.notifications.models import WorkSnapshot

    current = current_items(user)
    made = 0
    with transaction.atomic():
        snap = WorkSnapshot.objects.select_for_update().filter(user=user).first()
        if snap is not None:
            before: dict[str, list[int]] = snap.items or {}
            for code, ids in current.items():
                if code not in before:
                    continue  # a producer newly applying: record only
                seen = set(before[code])
                new = [i for i in ids if i not in seen]
                if new:
                    made += _announce(user, code, new)
            snap.items = current
            snap.taken_at = timezone.now()
            snap.save(update_fields=["items", "taken_at"])
        else:
            WorkSnapshot.objects.create(user=user, items=current)
    return made


def accounts() -> Any:
    from wushe.accounts.models import User

    return (User.objects.filter(is_active=True, disabled_at__isnull=True, grants__isnull=False)
            .distinct().order_by("pk"))


@periodic("notifications.work_scan", every=dt.timedelta(seconds=60))
def work_scan() -> JobResult:
    scanned = announced = failed = 0
    for user in accounts().iterator():
        try:
            announced += scan_account(user)
        except Exception:  # one account's failure must not stop the others' announcements
            failed += 1
            log.exception("work scan failed for account %s", user.pk)
        scanned += 1
    return {"accounts": scanned, "announced": announced, "failed": failed}
