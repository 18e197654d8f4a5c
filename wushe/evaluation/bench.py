"""Benchmark of the evaluation pages at seed and city scale.

Measured in a child process pointed at a cached demo database (``python -m
wushe.evaluation.bench``): the district administrator paging the evaluation list (filters off,
then by stage and grade), an evaluation page, the year's excellent organisations, the results
export, the project page's evaluation panel context and the stats block.
"""

from __future__ import annotations

import time
from typing import Any

from wushe.core.figures import bench, percentile_ms

VIEWER = "district_admin"


def measure(*, iterations: int) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wushe.accounts.models import User
    from wushe.evaluation.models import Evaluation
    from wushe.evaluation.stats import evaluation_figures

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

    evs = Evaluation.objects.unscoped()
    year = evs.order_by("-year").values_list("year", flat=True).first() or 2025
    urls = ["/evaluation/", "/evaluation/?page=3", "/evaluation/?stage=final&grade=excellent",
            f"/evaluation/?year={year}&status=decided"]
    for url in urls:
        get(url)  # warm up, as a running server would be
    lists = [get(urls[i % len(urls)]) for i in range(iterations)]
    one = evs.filter(status="decided").order_by("-id").values_list("pk", flat=True).first()
    pages = [get(f"/evaluation/{one}/") for _ in range(max(5, iterations // 3))]
    excellent = [get(f"/evaluation/excellent?year={year - 1}") for _ in range(5)]
    started = time.perf_counter()
    get("/evaluation/export")
    export = time.perf_counter() - started
    stats = []
    for _ in range(max(5, iterations // 5)):
        started = time.perf_counter()
        figures = evaluation_figures("500107")
        stats.append(time.perf_counter() - started)
    return {
        "evaluations": evs.count(),
        "excellent_orgs": figures["evaluation.excellent_orgs"],
        "evaluation_list_p50_ms": percentile_ms([t for t, _q in lists], 0.50),
        "evaluation_list_p95_ms": percentile_ms([t for t, _q in lists], 0.95),
        "evaluation_list_queries": max(q for _t, q in lists),
        "evaluation_page_p95_ms": percentile_ms([t for t, _q in pages], 0.95),
        "evaluation_page_queries": max(q for _t, q in pages),
        "excellent_page_p95_ms": percentile_ms([t for t, _q in excellent], 0.95),
        "evaluation_export_ms": round(export * 1000, 1),
        "evaluation_stats_p95_ms": percentile_ms(stats, 0.95),
    }


SCALE_KEYS = ("evaluations", "excellent_orgs", "evaluation_list_p50_ms",
              "evaluation_list_p95_ms", "evaluation_list_queries", "evaluation_page_p95_ms",
              "evaluation_page_queries", "excellent_page_p95_ms", "evaluation_export_ms",
              "evaluation_stats_p95_ms")


@bench("evaluation")
def evaluation_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import probe_scales

    return probe_scales("evaluation", "wushe.evaluation.bench", options, SCALE_KEYS)


def main() -> None:
    from wushe.demo.bench import probe_main

    probe_main(measure, "Measure the evaluation pages on this database")


if __name__ == "__main__":
    main()
