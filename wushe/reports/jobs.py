"""The periodic rollup refresh (``wushe tick`` runs it, from cron or a systemd timer).

A refresh reads every domain table, so it runs at most every WUSHE_REPORTS_ROLLUP_MINUTES
(default 10): a tick every minute costs nothing in between. The cockpit shows the time of
the last refresh ("data as of").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from wushe.core.jobs import JobResult, periodic
from wushe.core.scoping import scopes_disabled

DEFAULT_MINUTES = 10


def interval() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "WUSHE_REPORTS_ROLLUP_MINUTES",
                                            DEFAULT_MINUTES)))


@periodic("reports.rollup")
def rollup_refresh() -> JobResult:
    from wushe.reports import rollup

    last = rollup.last_run()
    if last is not None and timezone.now() - last.finished_at < interval():
        return {"skipped": True, "as_of": last.finished_at.isoformat(), "rows": last.rows}
    with scopes_disabled():  # the figures of the whole tree; readers apply scope
        return rollup.refresh(trigger="job")
