"""Parallel disbursements against one fund never overdraw it, on SQLite and on PostgreSQL.

Each run builds a throwaway database of its own (a SQLite file, or a PostgreSQL database
created and dropped here) and drives it from separate processes: the pytest database's
transactions cannot be shared with other processes.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

PROCESSES, THREADS = 2, 4  # eight workers: two processes of four connections each
PER_WORKER = 30  # 240 attempts of 100 yuan on 12,000: exactly 120 can be paid
WORKERS = PROCESSES * THREADS
ROOT = Path(__file__).resolve().parents[3]


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update({"WUSHE_DATA_DIR": str(data_dir), "DJANGO_SETTINGS_MODULE": "config.settings.test",
                "PYTHONPATH": os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH", "")]
                                              if p)})
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _run(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "wushe.charity.tests.race_worker", *args],
                          env=env, capture_output=True, text=True, check=False, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def _pg_server() -> str | None:
    url = os.environ.get("DATABASE_URL") or "postgres://wushe_ci:wushe_ci@127.0.0.1:5432/postgres"
    if not url.startswith("postgres"):
        return None
    try:
        import psycopg

        base = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(base.replace("postgres://", "postgresql://", 1), connect_timeout=3):
            return base
    except Exception:
        return None


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path,
             sqlite_template: Path) -> Iterator[dict[str, str]]:
    if request.param == "sqlite":
        shutil.copytree(sqlite_template, tmp_path, dirs_exist_ok=True)
        yield _env(tmp_path, None)
        return
    # The PostgreSQL race runs with the PostgreSQL suite (DATABASE_URL set): the SQLite suite
    # stays fast, and CI runs both.
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        pytest.skip("the PostgreSQL race runs when the suite runs on PostgreSQL")
    server = _pg_server()
    if server is None:
        pytest.skip("no PostgreSQL server reachable")
    import psycopg

    name = f"wushe_charity_race_{uuid.uuid4().hex[:10]}"
    admin_url = server.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        env = _env(tmp_path, server.rsplit("/", 1)[0] + f"/{name}")
        subprocess.run([sys.executable, "-m", "wushe.cli", "migrate", "-v0"], env=env,
                       check=True)
        yield env
    finally:
        _drop(admin_url, name)


def _drop(admin_url: str, name: str) -> None:
    """Drop the throwaway database. FORCE must also end an autovacuum worker that may have
    entered it, which a role without pg_signal_backend may not: wait for it and retry."""
    import psycopg

    for attempt in range(10):
        try:
            with psycopg.connect(admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            return
        except psycopg.errors.InsufficientPrivilege:
            if attempt == 9:
                raise
            time.sleep(1)


def test_parallel_disbursements_never_overdraw(database: dict[str, str]) -> None:
    fund = _run(["setup", "--balance", "12000"], database)["fund"]
    procs = [subprocess.Popen(
        [sys.executable, "-m", "wushe.charity.tests.race_worker", "threads", "--fund", str(fund),
         "--threads", str(THREADS), "--count", str(PER_WORKER), "--amount", "100"],
        env=database, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(PROCESSES)]
    results = []
    for p in procs:
        out, err = p.communicate(timeout=600)
        assert p.returncode == 0, err[-3000:]
        results += json.loads(out.strip().splitlines()[-1])["workers"]
    assert len(results) == WORKERS
    paid = sum(r["paid"] for r in results)
    assert paid == 120
    assert sum(r["refused"] for r in results) == WORKERS * PER_WORKER - 120
    assert sum(1 for r in results if r["paid"]) >= 2  # the workers really did run side by side
    state = _run(["check", "--fund", str(fund)], database)
    assert state["paid"] == 120
    assert state["balances"]["cash"] == "0.00"
    assert state["balances"] == state["sums"]
    assert state["verify_ok"], state["problems"]
    assert state["entries"] == 121
