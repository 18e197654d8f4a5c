"""Working-day deadlines and the SLA colour of a need. The periodic job that reminds and
escalates is ``wushe/needs/sla_job.py`` (the workflow services use this module, and the job
uses them).

Deadlines count working days in mainland China (core/calendar.py: weekends, holidays and the
调休 make-up workdays). A need received on a rest day starts counting on the next working day.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.utils import timezone

from wushe.core.calendar import add_workdays, workdays_between
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
