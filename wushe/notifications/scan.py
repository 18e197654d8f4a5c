"""Work items announced: the periodic ``notifications.work_scan`` and the escalation hook.

* ``work_scan`` (every 60 s): for each active account with a role grant, the ids of its current
  work items per producer (``inbox.registry.PRODUCERS``; each query is the actor's own, scoped)
  against its ``WorkSnapshot``. An id not seen before is a new item, announced once (key
  ``work:{code}:{id}``); more than ``BURST`` new items of one producer become one notification
  ("12 new: Needs to dispatch", linking to that kind's page). The first scan of an account, or
  of a producer newly applying to it (a new grant), only records: no flood at go-live.
* Escalations are announced by a ``needs.hooks.on_step`` hook, not by the scan: the accounts of
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
from wushe.notifications.services import absolute_link, notify_accounts

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


# --- escalations -------------------------------------------------------------------------------

def escalation_recipients(need: Any, level: int) -> list[Any]:
    """Active accounts with a grant at the level's region (street or district) above the need,
    who may supervise it (the same rule as the escalated producer: scope and the minors rule)."""
    from wushe.accounts import scope
    from wushe.accounts.models import RoleGrant, User
    from wushe.accounts.roles import ROLE_PERMISSIONS
    from wushe.needs import access, perms

    region_level = LEVEL_ROLES_REGION.get(level)
    if region_level is None:
        return []
    roles = [r for r, p in ROLE_PERMISSIONS.items() if perms.NEED_SUPERVISE in p]
    paths = [need.region_path[:n] for n in (6, 9, 12, 15) if n <= len(need.region_path)]
    ids = RoleGrant.objects.unscoped().filter(
        role__in=roles, region__level=region_level, region_path__in=paths,
        org=None, team=None, fund=None).values("user_id")
    users = User.objects.filter(pk__in=ids, is_active=True, disabled_at__isnull=True).order_by("pk")
    return [u for u in users
            if scope.covers(u, perms.NEED_SUPERVISE, need.region_path)
            and access.sees_by_region(u, need)]


def announce_escalation(need_id: int, action: str, from_state: str, to_state: str) -> None:
    """needs.hooks.on_step: an ESCALATE step is told to the level it reached, urgent."""
    if action != "escalate":
        return
    from wushe.needs.models import Need
    from wushe.needs.work import _title

    need = Need.objects.unscoped().filter(pk=need_id).first()
    if need is None or need.escalation_level not in LEVEL_ROLES_REGION:
        return
    users = escalation_recipients(need, need.escalation_level)
    if not users:
        return
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        title = _("Escalated: %(need)s") % {"need": _title(need)}
        _notify(users=users, kind=ESCALATED, key=f"escalated:{need.pk}:{need.escalation_level}",
                title=title[:200], link=absolute_link(reverse("needs:detail", args=[need.pk])),
                due=need.due_on, urgent=True)


def register() -> None:
    """Called on import (AppConfig.ready imports this module): the escalation hook."""
    from wushe.needs import hooks

    hooks.on_step(announce_escalation)


register()
