"""The periodic job that reminds and escalates (``@periodic("needs.sla")``, run by ``wushe tick``
and by ``wushe demo``). Its own module: it calls the workflow services, which use the deadlines
of ``wushe/needs/sla.py``, so neither imports the other in a circle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from wushe.core.calendar import add_workdays, is_workday, workdays_between
from wushe.core.jobs import JobResult, periodic
from wushe.core.scoping import scopes_disabled
from wushe.needs import rules as need_rules
from wushe.needs.models import Need
from wushe.needs.services.workflow import need_escalate_auto, need_remind
from wushe.needs.sla import LEVEL_DISTRICT, LEVEL_STREET, overdue_workdays
from wushe.needs.workflow import OPEN
from wushe.regions import rules


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
    today = today or timezone.localdate()
    if not is_workday(today):
        # Offices are closed; reminders and escalations wait for the next working day.
        return {"skipped": "rest day", "reminded": 0, "escalated": 0}
    cache = _RuleCache()
    reminded = escalated = 0
    with scopes_disabled():
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
