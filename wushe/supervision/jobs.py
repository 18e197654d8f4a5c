"""The periodic job of the supervision app (run by ``wushe tick``).

It plans the visits of every active project that has none yet (a project just contracted, or
one activated by an import), and reports how many visits and rectification items are overdue,
so the tick log shows the backlog. It does not mark late visits missed: a visit done late is
still recorded as done, and only a supervisor may say it did not take place
(services.supervision_miss). Running it twice changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from wushe.core.jobs import periodic
from wushe.supervision.models import Rectification, Supervision, overdue_q, rectification_overdue_q
from wushe.supervision.services import generate_missing_schedules


@periodic("supervision.schedules", every=dt.timedelta(minutes=5))
def supervision_schedules() -> dict[str, Any]:
    made = generate_missing_schedules()
    today = dt.date.today()
    return {
        "projects_scheduled": made["projects"], "visits_created": made["visits"],
        "visits_overdue": Supervision.objects.unscoped(reason="job: runs over every region").filter(overdue_q(today)).count(),
        "rectifications_overdue": Rectification.objects.unscoped(reason="job: runs over every region")
        .filter(rectification_overdue_q(today)).count(),
    }
