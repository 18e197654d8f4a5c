"""Benchmark of the supervision pages at seed and city scale.

Measured in a child process pointed at a cached demo database (``python -m
wushe.supervision.bench``): the district administrator's calendar month (the busiest view:
every visit of the district in one grid), the overdue-visit list, the records export, and the
stats block.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess  # noqa: S404 (runs this project's own module)
import sys
import time
from typing import Any

from wushe.core.figures import bench
from wushe.people.bench import _p

VIEWER = "district_admin"


def measure(*, iterations: int) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    import datetime as dt

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from wushe.accounts.models import User
    from wushe.supervision.models import Supervision
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
    export = [get(f"/supervision/records/export.xlsx?date_from={today.year}-01-01")
              for _ in range(max(3, iterations // 10))]
    stats = []
    for _ in range(max(5, iterations // 5)):
        started = time.perf_counter()
        figures = supervision_figures("500107")
        stats.append(time.perf_counter() - started)
    return {
        "supervisions": Supervision.objects.unscoped().count(),
        "supervision_total": figures["supervision.total"],
        "calendar_p50_ms": _p([t for t, _q in cal], 0.50),
        "calendar_p95_ms": _p([t for t, _q in cal], 0.95),
        "calendar_queries": max(q for _t, q in cal),
        "overdue_p95_ms": _p([t for t, _q in overdue], 0.95),
        "overdue_queries": max(q for _t, q in overdue),
        "records_export_p95_ms": _p([t for t, _q in export], 0.95),
        "stats_p95_ms": _p(stats, 0.95),
    }


def probe(data_dir: Any, options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import subprocess_env

    argv = [sys.executable, "-m", "wushe.supervision.bench", "--iterations",
            str(options["iterations"])]
    done = subprocess.run(argv, env=subprocess_env(data_dir), capture_output=True,  # noqa: S603
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"supervision probe failed in {data_dir}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


SCALE_KEYS = ("supervisions", "supervision_total", "calendar_p50_ms", "calendar_p95_ms",
              "calendar_queries", "overdue_p95_ms", "overdue_queries", "records_export_p95_ms",
              "stats_p95_ms")


@bench("supervision")
def supervision_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import demo_data_dir

    scales = ["seed"] + ([options["profile"]] if options["profile"] != "seed" else [])
    out: dict[str, Any] = {}
    for scale in scales:
        data_dir = demo_data_dir(options, scale)
        options["progress"](f"supervision: measuring the {scale} database in {data_dir}")
        figures = probe(data_dir, options)
        for key in SCALE_KEYS:
            out[f"{key}_{scale}"] = figures[key]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the supervision pages on this database")
    parser.add_argument("--iterations", type=int, default=30)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    sys.stdout.write(json.dumps(measure(iterations=args.iterations), sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
