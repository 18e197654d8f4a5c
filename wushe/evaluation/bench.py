"""Benchmark of the evaluation pages at seed and city scale.

Measured in a child process pointed at a cached demo database (``python -m
wushe.evaluation.bench``): the district administrator paging the evaluation list (filters off,
then by stage and grade), an evaluation page, the year's excellent organisations, the results
export, the project page's evaluation panel context and the stats block.
"""

from __future__ import annotations

from typing import Any

from wushe.core.figures import bench, percentile_ms

VIEWER = "district_admin"


def measure(*, iterations: int) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    from wushe.demo.bench import PageProbe, page_figures, timings
    from wushe.evaluation.models import Evaluation
    from wushe.evaluation.stats import evaluation_figures

    get = PageProbe(VIEWER).get
    evs = Evaluation.objects.unscoped(reason="bench: measures the whole district")
    year = evs.order_by("-year").values_list("year", flat=True).first() or 2025
    urls = ["/evaluation/", "/evaluation/?page=3", "/evaluation/?stage=final&grade=excellent",
            f"/evaluation/?year={year}&status=decided"]
    for url in urls:
        get(url)  # warm up, as a running server would be
    lists = [get(urls[i % len(urls)]) for i in range(iterations)]
    one = evs.filter(status="decided").order_by("-id").values_list("pk", flat=True).first()
    pages = [get(f"/evaluation/{one}/") for _ in range(max(5, iterations // 3))]
    excellent = [get(f"/evaluation/excellent?year={year - 1}") for _ in range(5)]
    export, _ = timings(lambda: get("/evaluation/export"), 1)
    stats, figures = timings(lambda: evaluation_figures("500107"), max(5, iterations // 5))
    return {
        "evaluations": evs.count(),
        "excellent_orgs": figures["evaluation.excellent_orgs"],
        **page_figures("evaluation_list", lists, p50=True),
        **page_figures("evaluation_page", pages),
        **page_figures("excellent_page", excellent, queries=False),
        "evaluation_export_ms": round(export[0] * 1000, 1),
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
