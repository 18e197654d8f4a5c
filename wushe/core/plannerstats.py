"""The query planner's statistics, refreshed after bulk writes and once a day.

Both databases choose indexes from statistics, and both get them wrong after a bulk load
they have not seen: measured on the city demo (3,000,000 persons, 300,000 needs), SQLite
without statistics for ``needs_need`` walks every open need of the city through the state
index to list one community's queue (126 ms); with them it takes the region-path range (30
ms). PostgreSQL's autovacuum catches up eventually, but a build inside one transaction never
lets it (see demo/build.py).

On SQLite, ``PRAGMA analysis_limit`` makes ANALYZE sample each index instead of reading it
whole: 0.35 s for the whole 5.5 GB city database, and the plans come out the same.
"""

from __future__ import annotations

import datetime as dt
import time

from django.conf import settings
from django.db import connection

from wushe.core.jobs import JobResult, periodic

SQLITE_ANALYSIS_LIMIT = 1000  # rows sampled per index (SQLite's advice: a few hundred+)
DAILY = 24 * 3600
MARKER = "planner-stats.stamp"


def analyze() -> None:
    """Refresh the statistics of every table (inside or outside a transaction)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")


BULK_ROWS = 10_000


def after_bulk_write(rows: int) -> None:
    """After an import of many rows, on SQLite (PostgreSQL's autovacuum analyzes a table
    once a tenth of it has changed)."""
    if rows >= BULK_ROWS and connection.vendor == "sqlite":
        analyze()


@periodic("core.planner_stats", every=dt.timedelta(days=1))
def planner_stats() -> JobResult:
    """Once a day, on SQLite (PostgreSQL's autovacuum does this itself): new rows from the
    pages, imports and jobs change what the best plan is."""
    if connection.vendor != "sqlite":
        return {"skipped": "autovacuum"}
    marker = settings.DATA_DIR / MARKER
    if marker.exists() and time.time() - marker.stat().st_mtime < DAILY:
        return {"skipped": True}
    started = time.perf_counter()
    analyze()
    marker.touch()
    return {"seconds": round(time.perf_counter() - started, 3)}
