"""The public intake on PostgreSQL (#18 item 7): ``wushe bench`` block ``needs_postgres``.

* intake_rps_postgres, intake_p50_ms_postgres, intake_p99_ms_postgres, intake_lost_postgres —
  public 点单 (POST /api/v1/public/needs) at concurrency 16 against gunicorn with 4 workers
  on a PostgreSQL 15 database, as production runs it.
* intake_vs_empty_endpoint_ratio_postgres — that throughput over the same server's throughput
  on the empty endpoint (/reports/ping: no session, no database), measured first under the
  same load, as ``intake_vs_empty_endpoint_ratio`` is on SQLite (wushe/reports/loadtest.py).

The block starts what it needs and stops it: a throwaway cluster of Debian's PostgreSQL 15
on 127.0.0.1 (wushe.core.pgtemp; fsync and synchronous_commit left on, as in production),
migrated by ``wushe migrate``, then filled with a copy of the seed demo's rows (every table,
by COPY, triggers off while loading; sequences moved past the copied ids). Without the
server binaries the figures are null and ``intake_postgres_skipped`` says why. A smoke run
(``--smoke``) skips it as well: migrating PostgreSQL alone takes most of a minute, and the
topology test (scripts/topology-test.sh) runs the intake on PostgreSQL in CI.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess  # noqa: S404 (runs this project's own server and commands)
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from wushe.core.figures import bench, percentile_ms

CONCURRENCY = 16
WORKERS = 4
REQUESTS = 2_000
SKIP_KEY = "intake_postgres_skipped"


def _null(reason: str) -> dict[str, Any]:
    return {"intake_rps_postgres": None, "intake_vs_empty_endpoint_ratio_postgres": None,
            SKIP_KEY: reason}


def http_load(make: Callable[[int], urllib.request.Request], requests: int, concurrency: int
          ) -> tuple[float, list[float], dict[int, int]]:
    """(accepted per second, latencies of accepted requests, count by status; 0 = no answer)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    todo = iter(range(requests))

    def worker() -> None:
        while True:
            with lock:
                i = next(todo, None)
            if i is None:
                return
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(make(i), timeout=60) as r:  # noqa: S310 (loopback)
                    status = r.status
                    r.read()
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
                if 200 <= status < 300:
                    latencies.append(elapsed)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.perf_counter() - started), latencies, statuses


def copy_sqlite_to_postgres(sqlite_path: Path, dsn: str) -> int:
    """Every row of the SQLite database into the migrated PostgreSQL one (same schema, same
    migrations); returns the number of rows copied."""
    import psycopg

    src = sqlite3.connect(sqlite_path)
    copied = 0
    with psycopg.connect(dsn, autocommit=False) as pg, pg.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")  # Django keeps UTC in SQLite without a zone
        cur.execute("SET session_replication_role = replica")  # no FK or append-only triggers
        cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = "
                    "'public' AND table_type = 'BASE TABLE' AND table_name <> 'django_migrations'")
        pg_tables = {r[0] for r in cur.fetchall()}
        lite_tables = {r[0] for r in src.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        tables = sorted(pg_tables & lite_tables)
        if tables:
            cur.execute("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " CASCADE")
        for table in tables:
            cur.execute("SELECT column_name FROM information_schema.columns WHERE "
                        "table_schema = 'public' AND table_name = %s", [table])
            pg_cols = {r[0] for r in cur.fetchall()}
            cols = [r[1] for r in src.execute(f'PRAGMA table_info("{table}")')
                    if r[1] in pg_cols]
            if not cols:
                continue
            names = ", ".join(f'"{c}"' for c in cols)
            with cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:  # names from the schemas
                for row in src.execute(f'SELECT {names} FROM "{table}"'):  # noqa: S608
                    copy.write_row(row)
                    copied += 1
        # Sequences past the copied ids.
        cur.execute("SELECT c.table_name, c.column_name, "
                    "pg_get_serial_sequence(quote_ident(c.table_name), c.column_name) "
                    "FROM information_schema.columns c WHERE c.table_schema = 'public' "
                    "AND (c.column_default LIKE 'nextval%%' OR c.is_identity = 'YES')")
        for table, column, seq in cur.fetchall():
            if seq:
                cur.execute(f'SELECT setval(%s, COALESCE((SELECT MAX("{column}") FROM '  # noqa: S608
                            f'"{table}"), 0) + 1, false)', [seq])
        pg.commit()
    src.close()
    return copied


def intake_postgres(seed_dir: Path, work: Path, say: Any, *, requests: int = REQUESTS,
                    concurrency: int = CONCURRENCY) -> dict[str, Any]:
    from django.conf import settings

    from wushe.core import pgtemp
    from wushe.demo.bench import subprocess_env, wushe_argv

    if not pgtemp.available():
        return _null(f"PostgreSQL server binaries not found in {pgtemp.pg_bin()}")
    target = work / "intake-postgres"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(seed_dir / "keys.json", target / "keys.json")
    started = time.perf_counter()
    with pgtemp.TempCluster.create(prefix="wushe-bench-pg-",
                                   conf="max_connections = 200\nshared_buffers = 256MB") as pg:
        pg.sql("CREATE DATABASE wushe")
        url = pg.url("wushe")
        env = {**subprocess_env(target), "DATABASE_URL": url, "WUSHE_NEEDS_INTAKE_RATE": "0",
               "WUSHE_DEBUG": "0"}
        say(f"needs (PostgreSQL): migrating a throwaway cluster on 127.0.0.1:{pg.port}")
        done = subprocess.run(wushe_argv("migrate", "--noinput"), env=env,  # noqa: S603
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"migrate on PostgreSQL failed: {done.stderr[-2000:]}")
        rows = copy_sqlite_to_postgres(seed_dir / "wushe.sqlite3",
                                       f"host=127.0.0.1 port={pg.port} user=postgres dbname=wushe")
        setup_seconds = time.perf_counter() - started
        codes = pg.sql("SELECT code FROM regions_region WHERE level = 'community' "
                       "ORDER BY code LIMIT 50", db="wushe").split()
        before = int(pg.sql("SELECT COALESCE(MAX(id), 0) FROM needs_need", db="wushe"))
        port = pgtemp.free_port()
        argv = [str(Path(sys.executable).parent / "gunicorn"), "config.wsgi:application",
                "-b", f"127.0.0.1:{port}", "-w", str(WORKERS), "--chdir", str(settings.BASE_DIR)]
        log = (work / "intake-postgres-server.log").open("w")
        server = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/reports/ping", timeout=2):  # noqa: S310
                        break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("the PostgreSQL bench server did not start") from None
                    time.sleep(0.2)
            say(f"needs (PostgreSQL): empty endpoint, then {requests} public submissions, "
                f"{concurrency} at a time, {WORKERS} gunicorn workers")
            empty_rps, _, _ = http_load(lambda i: urllib.request.Request(  # noqa: S310
                f"{base}/reports/ping"), requests, concurrency)
            rng = random.Random(2026)
            payloads = [json.dumps({
                "category": rng.choice(["temporary_relief", "legal_aid", "counselling",
                                        "elderly_care", "other"]),
                "description": f"压力测试诉求 {i}", "community": rng.choice(codes),
                "contact_name": "测试居民", "contact_phone": f"136{i:08d}",
                "consent": True}).encode() for i in range(requests)]

            def intake(i: int) -> urllib.request.Request:
                return urllib.request.Request(  # noqa: S310
                    f"{base}/api/v1/public/needs", data=payloads[i], method="POST",
                    headers={"Content-Type": "application/json",
                             "Idempotency-Key": f"bench-pg-{uuid.uuid4()}"})

            intake_rps, latencies, statuses = http_load(intake, requests, concurrency)
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
        stored = int(pg.sql(f"SELECT COUNT(*) FROM needs_need WHERE id > {before} "  # noqa: S608
                            "AND channel = 'online'", db="wushe"))
    shutil.rmtree(target, ignore_errors=True)
    accepted = len(latencies)
    return {"intake_rps_postgres": round(intake_rps, 1),
            "intake_p50_ms_postgres": percentile_ms(latencies, 0.50) if latencies else None,
            "intake_p99_ms_postgres": percentile_ms(latencies, 0.99) if latencies else None,
            "intake_lost_postgres": stored - accepted,
            "intake_errors_postgres": requests - accepted,
            "intake_refused_postgres": sum(v for k, v in statuses.items() if k >= 400),
            "empty_endpoint_rps_postgres": round(empty_rps, 1),
            "intake_vs_empty_endpoint_ratio_postgres": round(intake_rps / empty_rps, 4)
            if empty_rps else None,
            "intake_requests_postgres": requests, "intake_concurrency_postgres": concurrency,
            "intake_workers_postgres": WORKERS, "intake_postgres_rows_copied": rows,
            "intake_postgres_setup_seconds": round(setup_seconds, 1)}


@bench("needs_postgres")
def needs_postgres_bench(options: dict[str, Any]) -> dict[str, Any]:
    from wushe.demo.bench import base_scale, demo_data_dir

    if options.get("smoke"):
        return _null("smoke run (migrating PostgreSQL takes most of a minute; "
                     "scripts/topology-test.sh runs the intake on PostgreSQL)")
    seed_dir = demo_data_dir(options, base_scale(options))
    return intake_postgres(seed_dir, Path(options["work_dir"]), options["progress"])
