"""Benchmark of the staffing page at seed and city scale (``staffing_p95_ms_city``).

Measured in a child process pointed at a cached demo database (``python -m
wushe.workforce.bench``): the whole page as the district administrator gets it (every
community of the district, rules resolved, template rendered) and the .xlsx export.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess  # noqa: S404 (runs this project's own module)
import sys
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
    from wushe.workforce.models import CommunityWorker

    user = User.objects.get(username=VIEWER)
    client = Client(SERVER_NAME="localhost")
    client.force_login(user, backend="wushe.accounts.backends.LockoutBackend")

    def get(url: str) -> tuple[float, int, int]:
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - started
        assert response.status_code == 200, response.status_code
        return elapsed, len(queries), len(response.content)

    get("/workforce/staffing/")  # warm up, as a running server would be
    page = [get("/workforce/staffing/") for _ in range(iterations)]
    short = [get("/workforce/staffing/?short=on") for _ in range(max(5, iterations // 5))]
    export = [get("/workforce/staffing/export.xlsx") for _ in range(max(3, iterations // 10))]
    return {
        "community_workers": CommunityWorker.objects.unscoped(reason="bench: measures the whole district").count(),
        "staffing_p50_ms": percentile_ms([t for t, _q, _n in page], 0.50),
        "staffing_p95_ms": percentile_ms([t for t, _q, _n in page], 0.95),
        "staffing_short_p95_ms": percentile_ms([t for t, _q, _n in short], 0.95),
        "staffing_export_p95_ms": percentile_ms([t for t, _q, _n in export], 0.95),
        "staffing_queries": max(q for _t, q, _n in page),
    }


def probe(data_dir: Any, options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import subprocess_env

    argv = [sys.executable, "-m", "wushe.workforce.bench", "--iterations",
            str(options["iterations"])]
    done = subprocess.run(argv, env=subprocess_env(data_dir), capture_output=True,  # noqa: S603
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"staffing probe failed in {data_dir}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


SCALE_KEYS = ("community_workers", "staffing_p50_ms", "staffing_p95_ms", "staffing_short_p95_ms",
              "staffing_export_p95_ms", "staffing_queries")


@bench("staffing")
def staffing_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import demo_data_dir, scales

    out: dict[str, Any] = {}
    for scale in scales(options):
        data_dir = demo_data_dir(options, scale)
        options["progress"](f"staffing: measuring the {scale} database in {data_dir}")
        figures = probe(data_dir, options)
        for key in SCALE_KEYS:
            out[f"{key}_{scale}"] = figures[key]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the staffing page on this database")
    parser.add_argument("--iterations", type=int, default=50)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    sys.stdout.write(json.dumps(measure(iterations=args.iterations), sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
