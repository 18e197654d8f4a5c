"""State shared across processes (#16 item 3), proved with real processes: the embedded cache
(wushe.core.cache.SQLiteCache, its own SQLite file) counts without losing increments, and the
public intake limit holds across two servers and against forged X-Forwarded-For headers.

The processes run the production settings (config.settings.base) on a throwaway data dir; this
process (config.settings.test, local-memory cache) only reads the cache file afterwards.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from django.conf import settings

from wushe.core.tests.procs import migrated_data_dir

PYTHON = sys.executable
WUSHE = str(Path(sys.executable).with_name("wushe"))
ROOT = settings.BASE_DIR

# Eight processes counting on two keys in turn: "atomic" through the settings' cache
# (SQLiteCache, or Redis with WUSHE_CACHE_URL), "plain" through Django's own DatabaseCache on
# the SQLite cache's table (not on Redis: that key then goes through the Redis cache too).
# Django is set up once and the counters are forked from it (each opens its own connection),
# then all start at once on a shared event; the parent prints the two totals.
COUNTER = """
import json, multiprocessing, os, sys
import django
django.setup()
from django.core.cache import cache
from django.core.cache.backends.db import DatabaseCache
from django.db import connections
plain = cache if os.environ.get("WUSHE_CACHE_URL") else DatabaseCache("wushe_cache", {})
n, procs = int(sys.argv[1]), int(sys.argv[2])
cache.set("atomic", 0, 600)
cache.set("plain", 0, 600)
connections.close_all()

def count(go):
    go.wait()
    for _ in range(n):
        cache.incr("atomic")
        plain.incr("plain")
    connections.close_all()

ctx = multiprocessing.get_context("fork")
go = ctx.Event()
children = [ctx.Process(target=count, args=(go,)) for _ in range(procs)]
for child in children:
    child.start()
go.set()
for child in children:
    child.join(60)
assert [child.exitcode for child in children] == [0] * procs
print(json.dumps({"atomic": cache.get("atomic"), "plain": plain.get("plain")}))
"""


def _env(data_dir: Path, **extra: str) -> dict[str, str]:
    # The processes run on the migrated SQLite data dir, also in the PostgreSQL phase: without
    # DATABASE_URL (they would open the unmigrated main database, not the test one).
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("WUSHE_") and k != "DATABASE_URL"}
    env.update(DJANGO_SETTINGS_MODULE="config.settings.base", WUSHE_DATA_DIR=str(data_dir),
               PYTHONPATH=str(ROOT), **extra)
    return env


def test_eight_processes_incrementing_one_key_lose_nothing(tmp_path: Path,
                                                           stack: dict[str, str]) -> None:
    n, procs = 100, 8
    done = subprocess.run([PYTHON, "-c", COUNTER, str(n), str(procs)],
                          env=_env(tmp_path, **stack), cwd=ROOT, check=True, timeout=120,
                          capture_output=True, text=True)
    totals = json.loads(done.stdout.strip().splitlines()[-1])
    assert totals["atomic"] == procs * n
    if stack:  # Redis: INCRBY is atomic; both keys went through it
        assert totals["plain"] == procs * n
        return
    # Django's DatabaseCache.incr reads, then writes in another transaction: increments made in
    # between are lost. Measured here (8 × 100 on 2 busy cores): 432 to 459 of 800, every run.
    assert totals["plain"] < procs * n, totals


# --- two real servers -------------------------------------------------------------------------

RATE = 5
BODY = json.dumps({"category": "temporary_relief", "description": "家中突发火灾,急需临时救助",
                   "community": "999999999999", "contact_name": "测试", "consent": True,
                   "contact_phone": "13900000000"}).encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, server: subprocess.Popen[bytes], log: Path) -> bool:
    """True once the server accepts connections; False if it exited because another process
    took its port between choosing and binding it (the caller tries another port)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            output = log.read_text(errors="replace")
            if "already in use" in output:
                return False
            raise AssertionError(f"a server exited while starting:\n{output[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return True
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"a server did not start:\n{log.read_text(errors='replace')[-3000:]}")


def _start_server(env: dict[str, str], log: Path) -> tuple[int, subprocess.Popen[bytes]]:
    for _ in range(5):
        port = _free_port()
        with log.open("wb") as out:
            proc = subprocess.Popen([WUSHE, "runserver", "--noreload", "--skip-checks",
                                     f"127.0.0.1:{port}"], env=env, cwd=ROOT,
                                    stdout=out, stderr=subprocess.STDOUT)
        if _wait_for(port, proc, log):
            return port, proc
    raise AssertionError("no free port for a server in five tries")


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any,
            django_db_blocker: Any, module_stack: dict[str, str],
            ) -> Iterator[tuple[dict[str, str], list[int]]]:
    """A migrated data dir and two `wushe runserver` processes on it, public intake at 5/h."""
    data_dir = tmp_path_factory.mktemp("shared_state")
    env = _env(data_dir, WUSHE_NEEDS_INTAKE_RATE=f"{RATE}/h", **module_stack)
    migrated_data_dir(data_dir, django_db_blocker)  # a copy of the migrated test database
    procs: list[subprocess.Popen[bytes]] = []
    ports: list[int] = []
    try:
        for n in range(2):
            port, proc = _start_server(env, data_dir / f"server{n}.log")
            ports.append(port)
            procs.append(proc)
        yield env, ports
    finally:
        for proc in procs:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture
def fresh_servers(servers: tuple[dict[str, str], list[int]]) -> list[int]:
    """The servers with an empty cache: one test's window does not reach the next."""
    env, ports = servers
    if env.get("WUSHE_CACHE_URL"):
        redis.Redis.from_url(env["WUSHE_CACHE_URL"]).flushdb()
        return ports
    with sqlite3.connect(Path(env["WUSHE_DATA_DIR"]) / "cache.sqlite3") as db:
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'wushe_cache'").fetchone():
            db.execute("DELETE FROM wushe_cache")
    return ports


def _intake(port: int, forwarded: str | None = None) -> int:
    headers = {"Content-Type": "application/json"}
    if forwarded:
        headers["X-Forwarded-For"] = forwarded
    request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/public/needs", data=BODY,
                                     headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310  (local)
            return int(response.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


def _cache_keys(env: dict[str, str]) -> int:
    """How many keys the servers' cache holds (Redis), or rows (the SQLite cache)."""
    if env.get("WUSHE_CACHE_URL"):
        return int(redis.Redis.from_url(env["WUSHE_CACHE_URL"]).dbsize())
    with sqlite3.connect(Path(env["WUSHE_DATA_DIR"]) / "cache.sqlite3") as db:
        return int(db.execute("SELECT count(*) FROM wushe_cache").fetchone()[0])


def test_the_intake_limit_holds_across_two_server_processes(
        fresh_servers: list[int], servers: tuple[dict[str, str], list[int]]) -> None:
    # Each intake passes the limit and is then refused (an unknown community): nothing written.
    codes = [_intake(fresh_servers[i % 2]) for i in range(4 * RATE)]
    assert _cache_keys(servers[0]) > 0  # the window is in the stack's cache
    assert sum(code != 429 for code in codes) == RATE, codes
    assert codes[RATE:] == [429] * (3 * RATE), codes  # alternating: both servers refuse
    assert all(400 <= code < 500 for code in codes), codes


def test_a_hundred_forged_forwarded_headers_are_one_client(fresh_servers: list[int]) -> None:
    # No WUSHE_TRUSTED_PROXIES: X-Forwarded-For is the client's own writing, and is ignored.
    codes = [_intake(fresh_servers[i % 2], forwarded=f"203.0.{i // 250}.{i % 250 + 1}")
             for i in range(100)]
    assert sum(code != 429 for code in codes) == RATE, codes
    assert codes[RATE:] == [429] * (100 - RATE)
