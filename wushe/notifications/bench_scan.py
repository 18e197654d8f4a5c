"""Benchmark of the work scan (``notifications.work_scan``, every 60 s) at seed and city scale.

Measured in a child process on the cached demo database (``python -m
wushe.notifications.bench_scan``), inside a transaction rolled back at the end (the cached
database keeps no snapshot):

* ``notifications_scan_ms``: one steady-state scan of every account (the snapshots already
  taken, as every minute after the first), the p95 over the iterations;
* ``notifications_scan_first_ms``: the first scan (records every snapshot, announces nothing);
* ``notifications_scan_accounts`` / ``notifications_scan_queries``: the accounts scanned and
  the queries of one steady-state scan (one per producer per account, plus the snapshot's).
"""

from __future__ import annotations

import time
from typing import Any

from wushe.core.figures import bench, percentile_ms


class _Rollback(Exception):
    pass


def measure(*, iterations: int) -> dict[str, Any]:
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from wushe.notifications.scan import work_scan

    out: dict[str, Any] = {}
    try:
        with transaction.atomic():
            started = time.perf_counter()
            first = work_scan()
            out["notifications_scan_first_ms"] = round((time.perf_counter() - started) * 1000, 2)
            timings: list[float] = []
            queries = 0
            for _ in range(max(1, iterations // 10)):
                with CaptureQueriesContext(connection) as captured:
                    started = time.perf_counter()
                    again = work_scan()
                    timings.append(time.perf_counter() - started)
                queries = max(queries, len(captured))
            out.update({"notifications_scan_ms": percentile_ms(timings, 0.95),
                        "notifications_scan_accounts": first["accounts"],
                        "notifications_scan_announced": again["announced"],
                        "notifications_scan_queries": queries})
            raise _Rollback
    except _Rollback:
        pass
    return out


SCALE_KEYS = ("notifications_scan_ms", "notifications_scan_first_ms",
              "notifications_scan_accounts", "notifications_scan_queries")


@bench("notifications_scan")
def scan_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import probe_scales

    return probe_scales("notifications_scan", "wushe.notifications.bench_scan", options,
                        SCALE_KEYS)


def main() -> None:
    from wushe.demo.bench import probe_main

    probe_main(measure, "Time the notifications work scan over every account of this database")


if __name__ == "__main__":
    main()
