"""Benchmark of the inbox (work items) at seed and city scale.

Measured in a child process pointed at a cached demo database (``python -m wushe.inbox.bench``),
as the street staff account (``street_staff``, a street of the district):

* ``inbox_counts_p95_ms``: ``work_counts(actor=street staff)``, the counts by kind behind the
  home page's "My work" and the menu's badge (one count per producer that applies);
* ``inbox_counts_queries``: the queries one ``work_counts`` makes, which must be the same at
  every scale (one per applicable producer, never one per object);
* ``inbox_home_p95_ms`` / ``inbox_home_queries``: the home page ``/`` for that account;
* ``inbox_open_items``: the open items the counts found (so a figure of 0 ms over no work
  shows as such).

The issue's target: ``inbox_counts_p95_ms_city`` ≤ 20 ms.
"""

from __future__ import annotations

import time
from typing import Any

from wushe.core.figures import bench, percentile_ms

VIEWER = "street_staff"


def measure(*, iterations: int) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wushe.accounts.models import User
    from wushe.inbox.selectors import work_counts

    user = User.objects.get(username=VIEWER)
    counts = work_counts(actor=user)  # warm up, as a running server would be
    timings: list[float] = []
    queries: set[int] = set()
    for _ in range(iterations):
        actor = User.objects.get(pk=user.pk)  # a fresh request's user: no cached grants
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            counts = work_counts(actor=actor)
            timings.append(time.perf_counter() - started)
        queries.add(len(captured))
    client = Client(SERVER_NAME="localhost")
    client.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    client.get("/")
    pages: list[float] = []
    page_queries: set[int] = set()
    for _ in range(max(5, iterations // 2)):
        cache.clear()  # the badge's count too, as on its first page in BADGE_SECONDS
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/")
            pages.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
        page_queries.add(len(captured))
    return {
        "inbox_open_items": sum(counts.values()),
        "inbox_counts_p50_ms": percentile_ms(timings, 0.50),
        "inbox_counts_p95_ms": percentile_ms(timings, 0.95),
        "inbox_counts_queries": max(queries),
        "inbox_home_p95_ms": percentile_ms(pages, 0.95),
        "inbox_home_queries": max(page_queries),
    }


SCALE_KEYS = ("inbox_open_items", "inbox_counts_p50_ms", "inbox_counts_p95_ms",
              "inbox_counts_queries", "inbox_home_p95_ms", "inbox_home_queries")


@bench("inbox")
def inbox_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import probe_scales

    return probe_scales("inbox", "wushe.inbox.bench", options, SCALE_KEYS)


def main() -> None:
    from wushe.demo.bench import probe_main

    probe_main(measure, "Measure the street staff's work counts and home on this database")


if __name__ == "__main__":
    main()
