"""Benchmark of the project list page at seed and city scale.

Measured in a child process pointed at a cached demo database (``python -m
wushe.projects.bench``): the district administrator paging the project list (filters off,
then by year and status), the project page of an in-service project, and the stats block.
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
    from wushe.projects import workflow
    from wushe.projects.models import ServiceProject
    from wushe.projects.stats import project_figures

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

    year = dt.date.today().year
    urls = ["/projects/", "/projects/?page=5", f"/projects/?year={year}&status=in_service",
            "/projects/?domain=elderly_services&page=2"]
    for url in urls:
        get(url)  # warm up, as a running server would be
    lists = [get(urls[i % len(urls)]) for i in range(iterations)]
    active = (ServiceProject.objects.unscoped()
              .filter(status__in=workflow.ACTIVE)
              .values_list("pk", flat=True).first())
    pages = [get(f"/projects/{active}/") for _ in range(max(5, iterations // 3))] if active \
        else [(0.0, 0)]
    stats = []
    for _ in range(max(5, iterations // 5)):
        started = time.perf_counter()
        figures = project_figures("500107")
        stats.append(time.perf_counter() - started)
    return {
        "projects": figures["projects.total"],
        "projects_list_p50_ms": percentile_ms([t for t, _q in lists], 0.50),
        "projects_list_p95_ms": percentile_ms([t for t, _q in lists], 0.95),
        "projects_list_queries": max(q for _t, q in lists),
        "project_page_p95_ms": percentile_ms([t for t, _q in pages], 0.95),
        "project_page_queries": max(q for _t, q in pages),
        "projects_stats_p95_ms": percentile_ms(stats, 0.95),
    }


SCALE_KEYS = ("projects", "projects_list_p50_ms", "projects_list_p95_ms",
              "projects_list_queries", "project_page_p95_ms", "project_page_queries",
              "projects_stats_p95_ms")


@bench("projects")
def projects_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import probe_scales

    return probe_scales("projects", "wushe.projects.bench", options, SCALE_KEYS)


def main() -> None:
    from wushe.demo.bench import probe_main

    probe_main(measure, "Measure the project pages on this database")


if __name__ == "__main__":
    main()
