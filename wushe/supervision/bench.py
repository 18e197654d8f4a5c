"""Benchmark of the supervision pages at seed and city scale.

Measured in a child process pointed at a cached demo database (``python -m
wushe.supervision.bench``): the district administrator's calendar month (the busiest view:
every visit of the district in one grid), the overdue-visit list, the records export, and the
stats block.
"""

from __future__ import annotations

from typing import Any

from wushe.core.figures import bench, percentile_ms

VIEWER = "district_admin"


def measure(*, iterations: int) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    import datetime as dt

    from wushe.demo.bench import PageProbe, page_figures, timings
    from wushe.supervision.exporters import records_export
    from wushe.supervision.models import Supervision
    from wushe.supervision.selectors import VisitFilters
    from wushe.supervision.stats import supervision_figures

    probe = PageProbe(VIEWER)
    get = probe.get
    today = dt.date.today()
    month = f"/supervision/?year={today.year}&month={today.month}"
    get(month)  # warm up, as a running server would be
    cal = [get(month) for _ in range(iterations)]
    overdue = [get("/supervision/overdue/") for _ in range(max(5, iterations // 2))]
    # The export is a worker's job now: time the work the worker does (the page only queues).
    since = VisitFilters(date_from=dt.date(today.year, 1, 1))
    export = [probe.call(lambda: records_export(actor=probe.user, filters=since))
              for _ in range(max(3, iterations // 10))]
    stats, figures = timings(lambda: supervision_figures("500107"), max(5, iterations // 5))
    return {
        "supervisions": Supervision.objects.unscoped(reason="bench: measures the whole district").count(),
        "supervision_total": figures["supervision.total"],
        **page_figures("calendar", cal, p50=True),
        **page_figures("overdue", overdue),
        **page_figures("records_export", export, queries=False),
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
