"""Working-day deadlines, the SLA colour of a need, and the periodic job that reminds and
escalates (``@periodic("needs.sla")``, run by ``wushe tick`` and by ``wushe demo``).

Deadlines count working days in mainland China (core/calendar.py: weekends, holidays and the
调休 make-up workdays). A need received on a rest day starts counting on the next working day.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wushe.core.calendar import add_workdays, is_workday, workdays_between
from wushe.core.jobs import JobResult, periodic
from wushe.core.scoping import scopes_disabled
from wushe.needs import rules as need_rules
from wushe.needs.categories import Urgency
from wushe.needs.workflow import OPEN
from wushe.regions import rules

LEVEL_STREET = 1
LEVEL_DISTRICT = 2


# Local rules change a few times a year; every intake reads two of them. A process keeps a
# value for this many seconds, so an override takes effect within a minute everywhere.
RULE_TTL_SECONDS = 60.0
_rule_cache: dict[tuple[str, str], tuple[float, int]] = {}


def rule(key: str, path: str) -> int:
    """An integer local rule for a region path, cached briefly in the process."""
    now = time.monotonic()
    hit = _rule_cache.get((key, path))
    if hit is not None and now - hit[0] < RULE_TTL_SECONDS:
        return hit[1]
    value = int(rules.value(key, path))
    _rule_cache[(key, path)] = (now, value)
    return value


def clear_rule_cache() -> None:
    _rule_cache.clear()


def sla_days(category: str, urgency: str, region: Any) -> int:
    path = getattr(region, "path", region) or ""
    if urgency == Urgency.URGENT:
        return rule(need_rules.SLA_URGENT.key, path)
    return rule(need_rules.sla_key(category), path)


def due_date(received: dt.datetime | dt.date, category: str, urgency: str, region: Any) -> dt.date:
    day = timezone.localdate(received) if isinstance(received, dt.datetime) else received
    return add_workdays(day, sla_days(category, urgency, region))


def colour(state: str, due_on: dt.date | None, today: dt.date | None = None,
           remind_days: int = 1) -> str:
    """"overdue" (red), "due" (amber: within the reminder window) or "ok" (green); "" when
    the need is no longer running against a deadline."""
    if state not in OPEN or due_on is None:
        return ""
    today = today or timezone.localdate()
    if due_on < today:
        return "overdue"
    if workdays_between(today, due_on) <= remind_days:
        return "due"
    return "ok"


def overdue_workdays(due_on: dt.date, today: dt.date) -> int:
    return workdays_between(due_on, today)


def extension_allowed_until(due_on: dt.date) -> dt.date:
    """An extension is asked for before the deadline: at the latest on the due day itself."""
    return due_on


class _RuleCache:
    """Rules per community for one run of the job (one query per community, not per need)."""

    def __init__(self) -> None:
        self.cache: dict[tuple[str, str], int] = {}

    def get(self, key: str, path: str) -> int:
        if (key, path) not in self.cache:
            self.cache[(key, path)] = int(rules.value(key, path))
        return self.cache[(key, path)]


def run_sla(today: dt.date | None = None, *, on_event: Callable[..., None] | None = None
            ) -> JobResult:
    """Remind what falls due soon and escalate what is overdue. Idempotent: a need is
    reminded once per due date, and escalated only to a level it has not reached."""
    from wushe.needs.services.workflow import need_escalate_auto, need_remind

    today = today or timezone.localdate()
    if not is_workday(today):
        # Offices are closed; reminders and escalations wait for the next working day.
        return {"skipped": "rest day", "reminded": 0, "escalated": 0}
    cache = _RuleCache()
    reminded = escalated = 0
    with scopes_disabled():
        from wushe.needs.models import Need

        # Reminders: open, not overdue, due within the window, not yet reminded for this date.
        horizon = add_workdays(today, 10)
        soon = (Need.objects.filter(state__in=OPEN, due_on__gte=today, due_on__lte=horizon)
                .exclude(reminded_for=F("due_on"))
                .values_list("pk", "due_on", "region_path"))
        for pk, due_on, path in soon.iterator(chunk_size=2000):
            window = cache.get(need_rules.REMIND_BEFORE.key, path[:12])
            if workdays_between(today, due_on) <= window:
                with transaction.atomic():
                    if need_remind(need_id=pk, due_on=due_on):
                        reminded += 1
        # Escalation: overdue and below the level its overdue days call for.
        late = (Need.objects.filter(state__in=OPEN, due_on__lt=today, escalation_level__lt=2)
                .values_list("pk", "due_on", "region_path", "escalation_level"))
        for pk, due_on, path, level in late.iterator(chunk_size=2000):
            after = cache.get(need_rules.ESCALATE_DISTRICT_AFTER.key, path[:12])
            wanted = LEVEL_DISTRICT if overdue_workdays(due_on, today) >= after else LEVEL_STREET
            if wanted > level:
                with transaction.atomic():
                    if need_escalate_auto(need_id=pk, level=wanted, today=today):
                        escalated += 1
    return {"reminded": reminded, "escalated": escalated}


@periodic("needs.sla", every=dt.timedelta(minutes=5))
def sla_job() -> JobResult:
    return run_sla()
