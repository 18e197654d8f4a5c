"""Benchmarks of the needs app (``wushe bench``), on the cached demo databases.

* intake_rps, intake_p99_ms, intake_lost — public 点单 under concurrent load against a real
  server process (gunicorn, as ``wushe demo`` serves) on loopback, over a copy of the seed
  database. intake_lost = needs counted in the database minus accepted (2xx) responses: any
  difference means a request was acknowledged and lost, or written and not acknowledged.
* suggestions_p95_ms, suggestions_p95_ms_city — ranking candidates of every registered society
  for open needs (the need page and GET /needs/{id}/suggestions), in a child process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess  # noqa: S404 (runs this project's own server and module)
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from wushe.core.figures import bench, percentile_ms
from wushe.needs import bench_postgres  # also registers the needs_postgres block

CONCURRENCY = 8
REQUESTS = 1_600
SUGGESTION_SAMPLES = 200




def _root() -> Path:
    from django.conf import settings

    return Path(settings.BASE_DIR)


def _env(data_dir: Path) -> dict[str, str]:
    from wushe.demo.bench import subprocess_env

    return subprocess_env(data_dir)


def data_dir_for(options: dict[str, Any], profile: str) -> Path:
    """The cached demo database of ``profile`` shared by every bench."""
    from wushe.demo.bench import demo_data_dir

    return demo_data_dir(options, profile)


def _copy_db(source: Path, target: Path) -> None:
    """A consistent copy of a (WAL-mode) SQLite demo database, plus its keys."""
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(source / "keys.json", target / "keys.json")
    with sqlite3.connect(source / "wushe.sqlite3") as src, \
            sqlite3.connect(target / "wushe.sqlite3") as dst:
        src.backup(dst)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _community_codes(db: Path, limit: int = 50) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT code FROM regions_region WHERE level = 'community' "
                            "ORDER BY code LIMIT ?", (limit,)).fetchall()
    return [r[0] for r in rows]


def _count(db: Path, marker: str) -> int:
    """Online needs added after ``marker`` (the highest id before the run): the copy of the
    database is private to the run, so those are exactly the run's."""
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM needs_need WHERE id > ? AND channel = "
                                "'online'", (int(marker),)).fetchone()[0])


def intake_load(data_dir: Path, work: Path, say: Any, *, requests: int = REQUESTS,
                concurrency: int = CONCURRENCY) -> dict[str, Any]:
    target = work / "intake"
    _copy_db(data_dir, target)
    db = target / "wushe.sqlite3"
    with sqlite3.connect(db) as conn:
        before = str(conn.execute("SELECT COALESCE(MAX(id), 0) FROM needs_need").fetchone()[0])
    codes = _community_codes(db)
    port = _free_port()
    env = {**_env(target), "WUSHE_NEEDS_INTAKE_RATE": "0", "WUSHE_DEBUG": "0"}
    gunicorn = Path(sys.executable).parent / "gunicorn"
    argv = [str(gunicorn), "config.wsgi:application", "-b", f"127.0.0.1:{port}", "-w", "4",
            "--chdir", str(_root())]
    log = (work / "intake-server.log").open("w")
    server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the bench server did not start") from None
                time.sleep(0.2)
        say(f"needs: {requests} public submissions, {concurrency} at a time, on {base}")
        rng = random.Random(2026)
        payloads = [{"category": rng.choice(["temporary_relief", "legal_aid", "counselling",
                                             "elderly_care", "other"]),
                     "description": f"压力测试诉求 {i}", "community": rng.choice(codes),
                     "contact_name": "测试居民", "contact_phone": f"139{i:08d}", "consent": True}
                    for i in range(requests)]

        def submission(i: int) -> urllib.request.Request:
            return urllib.request.Request(  # noqa: S310
                f"{base}/api/v1/public/needs", data=json.dumps(payloads[i]).encode(),
                method="POST", headers={"Content-Type": "application/json",
                                        "Idempotency-Key": f"bench-{uuid.uuid4()}"})

        rps, latencies, _ = bench_postgres.http_load(submission, requests, concurrency)
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    accepted = len(latencies)
    stored = _count(db, before)
    shutil.rmtree(target, ignore_errors=True)
    return {"intake_rps": round(rps, 1), "intake_p99_ms": percentile_ms(latencies, 0.99),
            "intake_p50_ms": percentile_ms(latencies, 0.50), "intake_lost": stored - accepted,
            "intake_requests": requests, "intake_errors": requests - accepted,
            "intake_concurrency": concurrency}


def measure_suggestions(samples: int, seed: int) -> dict[str, Any]:
    """Run inside a process whose settings point at the demo database."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from wushe.accounts import scope
    from wushe.accounts.models import RoleGrant, User
    from wushe.needs.models import Need
    from wushe.needs.selectors import need_get, need_suggestions
    from wushe.needs.workflow import OPEN, State

    rng = random.Random(seed)
    actor = User.objects.get(username="district_admin")
    # Needs where the registered providers have someone to suggest (the demo places staff in
    # a few communities); with the volunteers, orgs and charity providers every need will.
    staffed = set(RoleGrant.objects.unscoped(reason="bench: measures the whole district").filter(
        role__in=("community_staff", "social_worker")).values_list("region_path", flat=True))
    ids = list(Need.objects.unscoped(reason="bench: measures the whole district").filter(state__in=OPEN, community__path__in=staffed)
               .values_list("pk", flat=True)) or \
        list(Need.objects.unscoped(reason="bench: measures the whole district").filter(state=State.ACCEPTED).values_list("pk", flat=True))
    picked = [rng.choice(ids) for _ in range(samples)] if ids else []
    timings: list[float] = []
    queries = 0
    found = 0
    for pk in picked[:3]:  # warm the caches, as a running server would be
        need_suggestions(actor=actor, need=need_get(actor=actor, need_id=pk))
    for pk in picked:
        scope.forget(actor)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            need = need_get(actor=actor, need_id=pk)
            candidates = need_suggestions(actor=actor, need=need)
            timings.append(time.perf_counter() - started)
        queries = max(queries, len(captured))
        found += len(candidates)
    return {"suggestions_p50_ms": percentile_ms(timings, 0.50), "suggestions_p95_ms": percentile_ms(timings, 0.95),
            "suggestions_samples": len(timings), "suggestions_queries": queries,
            "suggestions_candidates_avg": round(found / max(len(picked), 1), 1),
            "needs": Need.objects.unscoped(reason="bench: measures the whole district").count()}


def _probe(data_dir: Path, options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import smoke_count

    samples = smoke_count(options, SUGGESTION_SAMPLES, 10)
    argv = [sys.executable, "-m", "wushe.needs.bench", "--samples", str(samples),
            "--seed", str(options["seed"])]
    done = subprocess.run(argv, env=_env(data_dir), capture_output=True,  # noqa: S603
                          text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"needs probe failed in {data_dir}: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout))


@bench("needs")
def needs_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import base_scale, smoke_count

    say = options["progress"]
    base = base_scale(options)
    seed_dir = data_dir_for(options, base)
    out = intake_load(seed_dir, Path(options["work_dir"]), say,
                      requests=smoke_count(options, REQUESTS, 80))
    figures = _probe(seed_dir, options)
    out.update({k: v for k, v in figures.items() if k.startswith("suggestions_")})
    out[f"needs_{base}"] = figures["needs"]
    if options["profile"] == "city":
        city = _probe(data_dir_for(options, "city"), options)
        out["suggestions_p95_ms_city"] = city["suggestions_p95_ms"]
        out["suggestions_p50_ms_city"] = city["suggestions_p50_ms"]
        out["needs_city"] = city["needs"]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description="Measure suggestions on this database")
    parser.add_argument("--samples", type=int, default=SUGGESTION_SAMPLES)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    sys.stdout.write(json.dumps(measure_suggestions(args.samples, args.seed), sort_keys=True)
                     + "\n")


if __name__ == "__main__":
    main()
