"""Benchmark of the supervision pages at seed and city scale.

Measured in a child process pointed at a cached demo database (``python -m
wushe.supervision.bench``): the district administrator's calendar month (the busiest view:
every visit of the district in one grid), the overdue-visit list, the records export, and the
stats block.
"""

from __future__ import annotations

import time
from typing import Any

from wushe.core.figures import bench, percentile_ms

VIEWER = "district_admin"


def measure(*, iterations: int) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    import datetime as dt

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wushe.accounts.models import User
    from wushe.supervision.exporters import records_export
    from wushe.supervision.models import Supervision
    from wushe.supervision.selectors import VisitFilters
    from wushe.supervision.stats import supervision_figures

    user = User.objects.get(username=VIEWER)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user, backend="wushe.accounts.backends.LockoutBackend")

    def get(url: str) -> tuple[float, int]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, (url, response.status_code)
        return elapsed, len(queries)

    today = dt.date.today()
    month = f"/supervision/?year={today.year}&month={today.month}"
    get(month)  # warm up, as a running server would be
    cal = [get(month) for _ in range(iterations)]
    overdue = [get("/supervision/overdue/") for _ in range(max(5, iterations // 2))]
    # The export is a worker's job now: time the work the worker does (the page only queues).
    export = []
    for _ in range(max(3, iterations // 10)):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            records_export(actor=user, filters=VisitFilters(date_from=dt.date(today.year, 1, 1)))
            export.append((time.perf_counter() - started, len(queries)))
    stats = []
    for _ in range(max(5, iterations // 5)):
        started = time.perf_counter()
        figures = supervision_figures("500107")
        stats.append(time.perf_counter() - started)
    return {
        "supervisions": Supervision.objects.unscoped().count(),
        "supervision_total": figures["supervision.total"],
        "calendar_p50_ms": percentile_ms([t for t, _q in cal], 0.50),
        "calendar_p95_ms": percentile_ms([t for t, _q in cal], 0.95),
        "calendar_queries": max(q for _t, q in cal),
        "overdue_p95_ms": percentile_ms([t for t, _q in overdue], 0.95),
        "overdue_queries": max(q for _t, q in overdue),
        "records_export_p95_ms": percentile_ms([t for t, _q in export], 0.95),
        "stats_p95_ms": percentile_ms(stats, 0.95),
    }


SCALE_KEYS = ("supervisions", "supervision_total", "calendar_p50_ms", "calendar_p95_ms",
              "calendar_queries", "overdue_p95_ms", "overdue_queries", "records_export_p95_ms",
              "stats_p95_ms")


@bench("supervision")
def supervision_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import probe_scales

    return probe_scales("supervision", "wushe.supervision.bench", options, SCALE_KEYS)


def main() -> None:
    from wushe.demo.bench import probe_main

    probe_main(measure, "Measure the supervision pages on this database")


if __name__ == "__main__":
    main()
