"""The periodic rollup refresh (``wushe tick`` runs it, from cron or a systemd timer).

A refresh reads every domain table, so it runs at most every WUSHE_REPORTS_ROLLUP_MINUTES
(default 10): a tick every minute costs nothing in between. It recomputes only "all" and the
current year, where figures move, unless the last full refresh is older than
WUSHE_REPORTS_FULL_ROLLUP_HOURS (default 24): then every kept year. The cockpit shows the
time of the last refresh ("data as of").
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from wushe.core.jobs import JobResult, periodic
from wushe.core.scoping import scopes_disabled


def interval() -> dt.timedelta:
    return dt.timedelta(minutes=settings.WUSHE_REPORTS_ROLLUP_MINUTES)


def full_interval() -> dt.timedelta:
    return dt.timedelta(hours=settings.WUSHE_REPORTS_FULL_ROLLUP_HOURS)


# Due as often as the refresh may run; the job still skips a refresh younger than interval().
@periodic("reports.rollup", every=dt.timedelta(minutes=settings.WUSHE_REPORTS_ROLLUP_MINUTES))
def rollup_refresh() -> JobResult:
    from wushe.reports import rollup

    last = rollup.last_run()
    if last is not None and timezone.now() - last.finished_at < interval():
        return {"skipped": True, "as_of": last.finished_at.isoformat(), "rows": last.rows}
    full = rollup.last_full_run()
    recent_only = full is not None and timezone.now() - full.finished_at < full_interval()
    with scopes_disabled():  # the figures of the whole tree; readers apply scope
        return rollup.refresh(trigger="job", recent_only=recent_only)
