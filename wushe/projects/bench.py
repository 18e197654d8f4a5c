"""Benchmark of the project list page at seed and city scale.

Measured in a child process pointed at a cached demo database (``python -m
wushe.projects.bench``): the district administrator paging the project list (filters off,
then by year and status), the project page of an in-service project, and the stats block.
"""

from __future__ import annotations

from typing import Any

from wushe.core.figures import bench, percentile_ms

VIEWER = "district_admin"


def measure(*, iterations: int) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    import datetime as dt

    from wushe.demo.bench import PageProbe, page_figures, timings
    from wushe.projects import workflow
    from wushe.projects.models import ServiceProject
    from wushe.projects.stats import project_figures

    get = PageProbe(VIEWER).get
    year = dt.date.today().year
    urls = ["/projects/", "/projects/?page=5", f"/projects/?year={year}&status=in_service",
            "/projects/?domain=elderly_services&page=2"]
    for url in urls:
        get(url)  # warm up, as a running server would be
    lists = [get(urls[i % len(urls)]) for i in range(iterations)]
    active = (ServiceProject.objects.unscoped(reason="bench: measures the whole district")
              .filter(status__in=workflow.ACTIVE)
              .values_list("pk", flat=True).first())
    pages = [get(f"/projects/{active}/") for _ in range(max(5, iterations // 3))] if active \
        else [(0.0, 0)]
    stats, figures = timings(lambda: project_figures("500107"), max(5, iterations // 5))
    return {
        "projects": figures["projects.total"],
        **page_figures("projects_list", lists, p50=True),
        **page_figures("project_page", pages),
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
