"""Benchmarks of the reports app (``wushe bench``), on the cached demo databases.

Measured in a child process pointed at the demo's data directory (``python -m
wushe.reports.bench``), through the Django test client (server time: URL routing,
middleware, session, view, template; no network):

* dashboard_p95_ms (seed) and dashboard_p95_ms_city: the cockpit page (HTML with its chart
  JSON) as the district admin, over the district, its streets and some communities;
  dashboard_api_p95_ms*: GET /api/v1/reports/cockpit the same way.
* dashboard_vs_raw_sql_ratio: the cockpit's median server time over the median time of the
  same figures computed by hand-written SQL (reports/rawsql.py) in the same run.
* scoped_list_p95_ms_city, scoped_list_queries: the people list page as community staff
  (one community in scope), first pages; its query count does not depend on the data size.
  needs_list_p95_ms_*: the needs list page the same way.
* rollup_refresh_seconds(_city): one full refresh of the KPI rollups;
  rollup_refresh_recent_seconds(_city): one refresh of "all" and the current year (the
  periodic job's usual work).
* annual_report_seconds: the district's annual report in the three formats (seed).
* intake_vs_empty_endpoint_ratio: public intake throughput over the throughput of an empty
  Django endpoint (/reports/ping) on the same gunicorn server, same load (seed).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess  # noqa: S404 (runs this project's own module and server)
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from wushe.core.figures import bench, percentile_ms

SAMPLES = 120
RAW_SAMPLES = 3
LIST_SAMPLES = 60


def _timed(client: Any, url: str) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return elapsed


def measure(*, samples: int, with_report: bool, list_samples: int = LIST_SAMPLES,
            raw_samples: int = RAW_SAMPLES) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from wushe.accounts.models import User
    from wushe.core.scoping import scopes_disabled
    from wushe.regions.models import Region
    from wushe.reports import charts, rollup
    from wushe.reports.kpis import KPIS, Period
    from wushe.reports.rawsql import raw_value

    settings.ALLOWED_HOSTS = ["*"]
    out: dict[str, Any] = {}
    with scopes_disabled():
        started = time.perf_counter()
        refreshed = rollup.refresh(trigger="bench")
        out["rollup_refresh_seconds"] = round(time.perf_counter() - started, 2)
        out["rollup_rows"] = refreshed["rows"]
        started = time.perf_counter()
        rollup.refresh(trigger="bench", recent_only=True)  # what the 10-minute job does
        out["rollup_refresh_recent_seconds"] = round(time.perf_counter() - started, 2)
        regions = list(Region.objects.filter(level__in=["district", "street"])
                       .order_by("path").values_list("code", "path"))
        regions += list(Region.objects.filter(level="community").order_by("path")
                        .values_list("code", "path")[:10])
    year = timezone.localdate().year - 1  # a whole year of every flow
    admin = Client()
    admin.force_login(User.objects.get(username="district_admin"))
    urls = [f"/reports/?region={code}&year={year}" for code, _p in regions]
    api = [f"/api/v1/reports/cockpit?region={code}&year={year}" for code, _p in regions]
    for url in urls[:3] + api[:3]:  # warm caches, as a running server would be
        _timed(admin, url)
    page_times = [_timed(admin, urls[i % len(urls)]) for i in range(samples)]
    api_times = [_timed(admin, api[i % len(api)]) for i in range(samples)]
    with CaptureQueriesContext(connection) as captured:
        _timed(admin, urls[0])
    out.update(dashboard_p95_ms=percentile_ms(page_times, 0.95), dashboard_p50_ms=percentile_ms(page_times, 0.50),
               dashboard_api_p95_ms=percentile_ms(api_times, 0.95), dashboard_queries=len(captured))

    # The same figures by hand: every KPI the cockpit shows, its months and its children.
    district = regions[0]
    with scopes_disabled():
        region = Region.objects.get(code=district[0])
        shown = list(KPIS)
        monthly = [k for k in charts.MONTHLY if k in KPIS]
        children = [c.path for c in Region.objects.filter(parent=region)]

        def by_hand() -> float:
            t = time.perf_counter()
            for key in shown:
                raw_value(key, region.path, Period.year(year))
            for m in range(1, 13):
                for key in monthly:
                    raw_value(key, region.path, Period.month(year, m))
            for child in children:
                for key in charts.STAFFING:
                    raw_value(key, child, Period.all())
            return time.perf_counter() - t

        raw_times = [by_hand() for _ in range(raw_samples)]
    district_times = [_timed(admin, urls[0]) for _ in range(raw_samples * 4)]
    out["dashboard_raw_sql_p50_ms"] = round(statistics.median(raw_times) * 1000, 2)
    out["dashboard_vs_raw_sql_ratio"] = round(statistics.median(district_times)
                                              / statistics.median(raw_times), 4)

    # Scoped list pages as community staff (one community in scope), first pages: the
    # people list (scoped_list_*) and the needs list (needs_list_*).
    staff = Client()
    staff.force_login(User.objects.get(username="community_staff_a"))
    for name, base in (("scoped_list", "/people/"), ("needs_list", "/needs/")):
        pages = [f"{base}?page={1 + i % 5}" for i in range(list_samples)]
        for url in pages[:2]:
            _timed(staff, url)
        times = [_timed(staff, url) for url in pages]
        with CaptureQueriesContext(connection) as captured:
            _timed(staff, f"{base}?page=2")
        out[f"{name}_p95_ms"] = percentile_ms(times, 0.95)
        out[f"{name}_queries"] = len(captured)

    if with_report:
        from wushe.reports.jobs_annual import generate

        with scopes_disabled(), tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            generate(region, year, "zh", Path(tmp), lambda _p, _m: None)
            out["annual_report_seconds"] = round(time.perf_counter() - started, 2)
    with scopes_disabled():
        from wushe.needs.models import Need

        out["needs"] = Need.objects.count()
    return out


def _probe(data_dir: Path, options: dict[str, Any], *, with_report: bool) -> dict[str, Any]:
    from wushe.demo.bench import smoke_count, subprocess_env

    argv = [sys.executable, "-m", "wushe.reports.bench",
            "--samples", str(smoke_count(options, SAMPLES, 5)),
            "--list-samples", str(smoke_count(options, LIST_SAMPLES, 5)),
            "--raw-samples", str(smoke_count(options, RAW_SAMPLES, 1))]
    if with_report:
        argv.append("--report")
    done = subprocess.run(argv, env=subprocess_env(data_dir), capture_output=True,  # noqa: S603
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"reports probe failed in {data_dir}: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout))


@bench("reports")
def reports_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import base_scale, demo_data_dir, smoke_count
    from wushe.reports.loadtest import REQUESTS, intake_vs_empty

    say = options["progress"]
    out: dict[str, Any] = {}
    base = base_scale(options)
    seed_dir = demo_data_dir(options, base)
    say(f"reports: cockpit, lists and the annual report on {seed_dir}")
    seed = _probe(seed_dir, options, with_report=True)
    for key in ("dashboard_p95_ms", "dashboard_p50_ms", "dashboard_api_p95_ms",
                "dashboard_queries", "dashboard_vs_raw_sql_ratio", "dashboard_raw_sql_p50_ms",
                "annual_report_seconds", "rollup_refresh_seconds",
                "rollup_refresh_recent_seconds", "rollup_rows"):
        out[key] = seed[key]
    out[f"scoped_list_page_p95_ms_{base}"] = seed["scoped_list_p95_ms"]
    out[f"needs_list_p95_ms_{base}"] = seed["needs_list_p95_ms"]
    out["needs_list_queries"] = seed["needs_list_queries"]
    if options["profile"] == "city":
        city = _probe(demo_data_dir(options, "city"), options, with_report=False)
        out["dashboard_p95_ms_city"] = city["dashboard_p95_ms"]
        out["dashboard_api_p95_ms_city"] = city["dashboard_api_p95_ms"]
        out["dashboard_vs_raw_sql_ratio_city"] = city["dashboard_vs_raw_sql_ratio"]
        out["rollup_refresh_seconds_city"] = city["rollup_refresh_seconds"]
        out["rollup_refresh_recent_seconds_city"] = city["rollup_refresh_recent_seconds"]
        out["scoped_list_p95_ms_city"] = city["scoped_list_p95_ms"]
        out["scoped_list_page_p95_ms_city"] = city["scoped_list_p95_ms"]
        out["needs_list_p95_ms_city"] = city["needs_list_p95_ms"]
        out["scoped_list_queries"] = max(seed["scoped_list_queries"],
                                         city["scoped_list_queries"])
        out["needs_city_reports"] = city["needs"]
    else:
        out["scoped_list_queries"] = seed["scoped_list_queries"]
    # The people bench reports the person selector's own figures as person_list_*; the
    # page-level figures stay visible under their own names too.
    out["scoped_list_page_queries"] = out["scoped_list_queries"]
    say("reports: intake vs an empty endpoint on one server")
    out.update(intake_vs_empty(seed_dir, Path(options["work_dir"]),
                               requests=smoke_count(options, REQUESTS, 80)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the reports pages on this database")
    parser.add_argument("--samples", type=int, default=SAMPLES)
    parser.add_argument("--list-samples", type=int, default=LIST_SAMPLES)
    parser.add_argument("--raw-samples", type=int, default=RAW_SAMPLES)
    parser.add_argument("--report", action="store_true", help="also time the annual report")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    figures = measure(samples=args.samples, with_report=args.report,
                      list_samples=args.list_samples, raw_samples=args.raw_samples)
    sys.stdout.write(json.dumps(figures, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
