"""Real processes for the tests of background work: a migrated data directory, the
environment of a ``wushe`` command on it, and the command itself."""

from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def migrated_data_dir(target: Path, django_db_blocker: Any) -> Path:
    """A migrated SQLite data directory: a copy of the test database when it is SQLite (the
    migrations take 20 s in a process of their own), else ``wushe migrate``. The processes
    always run on SQLite: on PostgreSQL they would need a database of their own."""
    with django_db_blocker.unblock():
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            dest = sqlite3.connect(target / "wushe.sqlite3")
            connection.connection.backup(dest)
            dest.close()
            return target
    subprocess.run(wushe_argv("migrate", "-v0"), env=env_for(target), check=True, timeout=300)
    return target


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "WUSHE_TASKS_URL", "WUSHE_CACHE_URL"}}
    env.update(WUSHE_DATA_DIR=str(data_dir), DJANGO_SETTINGS_MODULE="config.settings.base",
               PYTHONUNBUFFERED="1",
               PYTHONPATH=os.pathsep.join(p for p in [str(ROOT), env.get("PYTHONPATH", "")] if p))
    env.update(extra)
    return env


def wushe_argv(*args: str) -> list[str]:
    return [sys.executable, "-m", "wushe.cli", *args]


def shell(env: dict[str, str], code: str) -> str:
    """Run ``code`` in ``wushe shell`` on the data directory; its standard output."""
    done = subprocess.run(wushe_argv("shell", "--no-imports", "-c", code), env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(check: Callable[[], Any], timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


# --- the Redis stack: the same process tests on RQ and the Redis cache --------------------------

REDIS_SERVER = Path("/usr/bin/redis-server")
REDIS_DATABASES = 64  # two per test that uses it (queue, cache), flushed first


class RedisServer:
    """Debian's redis-server on 127.0.0.1, a free port, nothing persisted, its own directory."""

    def __init__(self, workdir: Path) -> None:
        if not REDIS_SERVER.exists():
            raise RuntimeError(
                f"{REDIS_SERVER} is missing: the process tests run on Redis too "
                "(apt-get install redis-server; .ci/run installs it)")
        self.port = free_port()
        self.proc = subprocess.Popen(  # noqa: S603 (a fixed binary, arguments as a list)
            [str(REDIS_SERVER), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--dir", str(workdir),
             "--databases", str(REDIS_DATABASES), "--protected-mode", "yes"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.next_db = 0
        wait_for(self.ping, 20, "redis-server to accept connections")

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def ping(self) -> bool:
        import redis

        assert self.proc.poll() is None, "redis-server exited"
        try:
            return bool(redis.Redis(port=self.port, socket_timeout=1).ping())
        except redis.ConnectionError:
            return False

    def stack_env(self) -> dict[str, str]:
        """Two fresh databases of their own: the task queue's and the cache's."""
        import redis

        queue, cache = self.next_db, self.next_db + 1
        assert cache < REDIS_DATABASES, "raise REDIS_DATABASES"
        self.next_db += 2
        for db in (queue, cache):
            redis.Redis(port=self.port, db=db).flushdb()
        return {"WUSHE_TASKS_URL": self.url(queue), "WUSHE_CACHE_URL": self.url(cache)}

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


STACKS = ["database", "redis"]
