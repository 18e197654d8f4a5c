"""Benchmarks of the people pages' read path, on demo databases of two sizes.

Measured in a child process pointed at the demo's data directory (``python -m
wushe.demo.bench_people``), through the real selectors: a street officer paging the masked
person list, and an exact lookup by ID number. Registered from ``DemoConfig.ready``; in the
demo app (not people) because it runs on the demo's databases: people imports no demo module.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess  # noqa: S404 (runs this project's own module)
import sys
import time
from typing import Any

from wushe.core.figures import bench, percentile_ms

LIST_USER = "street_staff"  # a street officer: one street of the district in scope
LOOKUP_USER = "district_admin"
FIRST_PAGES = 200




def measure(*, iterations: int, lookups: int, seed: int) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    from django.conf import settings
    from django.core.paginator import Paginator
    from django.db import connection
    from django.db.models import Max, Min
    from django.test.utils import CaptureQueriesContext

    from wushe.accounts import scope
    from wushe.accounts.models import User
    from wushe.people.models import Person
    from wushe.people.selectors import person_list, person_lookup, person_page

    rng = random.Random(seed)
    viewer = User.objects.get(username=LIST_USER)
    per_page = settings.WUSHE_PAGE_SIZE
    num_pages = Paginator(person_list(actor=viewer), per_page).num_pages
    pages = [rng.randint(1, min(FIRST_PAGES, num_pages)) for _ in range(iterations - 1)]
    pages.append(num_pages)
    rng.shuffle(pages)

    def show_page(number: int) -> tuple[float, int]:
        scope.forget(viewer)  # a new request loads the grants again
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            page = person_page(actor=viewer, number=number, per_page=per_page)
            rows = [(p.masked_name, p.masked_id_number, p.masked_phone, p.region.name)
                    for p in page.object_list]
            elapsed = time.perf_counter() - started
        assert rows
        return elapsed, len(queries)

    for number in (1, num_pages):  # warm the page cache, as a running server would be
        show_page(number)
    list_times: dict[int, float] = {}
    list_queries = 0
    timings = []
    for number in pages:
        elapsed, n = show_page(number)
        timings.append(elapsed)
        list_times[number] = elapsed
        list_queries = max(list_queries, n)

    admin = User.objects.get(username=LOOKUP_USER)
    with_ids = Person.objects.unscoped(reason="bench: measures the whole district")
    bounds = with_ids.aggregate(lo=Min("id"), hi=Max("id"))
    lo, hi = bounds["lo"] or 0, bounds["hi"] or 0
    found: dict[int, str] = {}
    # Ids need not be contiguous (sequences outlive deleted rows): draw until enough are found.
    for _round in range(20):
        if len(found) >= lookups or hi < lo:
            break
        picked = rng.sample(range(lo, hi + 1), min(hi - lo + 1, lookups * 2))
        for p in with_ids.filter(pk__in=picked).exclude(id_number=None).only("id", "id_number"):
            found.setdefault(p.pk, p.id_number)  # decrypted here, outside the timing
    targets = sorted(found.items())[:lookups]
    lookup_times = []
    lookup_queries = 0
    for pk, id_number in targets:
        scope.forget(admin)
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            hit = person_lookup(actor=admin, id_number=id_number)
            elapsed = time.perf_counter() - started
        assert hit is not None and hit.pk == pk
        lookup_times.append(elapsed)
        lookup_queries = max(lookup_queries, len(queries))

    return {
        "persons": with_ids.count(),
        "person_list_rows": Paginator(person_list(actor=viewer), per_page).count,
        "person_list_pages_sampled": len(pages),
        "person_list_p50_ms": percentile_ms(timings, 0.50),
        "person_list_p95_ms": percentile_ms(timings, 0.95),
        "person_list_last_page_ms": round(list_times[num_pages] * 1000, 2),
        "person_list_queries": list_queries,
        "person_lookup_count": len(lookup_times),
        "person_lookup_p50_ms": percentile_ms(lookup_times, 0.50),
        "person_lookup_p95_ms": percentile_ms(lookup_times, 0.95),
        "person_lookup_mean_ms": round(statistics.fmean(lookup_times) * 1000, 2),
        "person_lookup_queries": lookup_queries,
    }


def probe(data_dir: Any, options: dict[str, Any]) -> dict[str, Any]:
    """``measure`` in a child process whose settings use ``data_dir``."""
    from wushe.demo.bench import subprocess_env

    argv = [sys.executable, "-m", "wushe.demo.bench_people", "--iterations",
            str(options["iterations"]), "--lookups", str(options["lookups"]),
            "--seed", str(options["seed"])]
    done = subprocess.run(argv, env=subprocess_env(data_dir), capture_output=True,  # noqa: S603
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"people probe failed in {data_dir}: {done.stderr[-2000:]}")
    return json.loads(done.stdout)


SCALE_KEYS = ("persons", "person_list_rows", "person_list_p50_ms", "person_list_p95_ms",
              "person_list_last_page_ms", "person_list_queries", "person_lookup_p50_ms",
              "person_lookup_p95_ms", "person_lookup_queries")


@bench("people")
def people_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import demo_data_dir, scales

    say = options["progress"]
    measured = scales(options)
    out: dict[str, Any] = {}
    for scale in measured:
        data_dir = demo_data_dir(options, scale)
        say(f"people: measuring the {scale} database in {data_dir}")
        figures = probe(data_dir, options)
        for key in SCALE_KEYS:
            out[f"{key}_{scale}"] = figures[key]
    # Queries per page and per lookup do not depend on the size; report the worst.
    out["person_list_queries"] = max(out[f"person_list_queries_{s}"] for s in measured)
    out["person_lookup_queries"] = max(out[f"person_lookup_queries_{s}"] for s in measured)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure the people read path on this database")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--lookups", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    figures = measure(iterations=args.iterations, lookups=args.lookups, seed=args.seed)
    sys.stdout.write(json.dumps(figures, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
