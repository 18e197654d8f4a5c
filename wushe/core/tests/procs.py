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
