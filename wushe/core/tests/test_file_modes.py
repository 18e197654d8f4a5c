"""The data directory is private (#18): what wushe creates there is 0700 (directories) and 0600
(files): the directory itself, the SQLite databases with their -wal and -shm files, the key
file, the jobs' directories and files (uploads, exports, state) and the workers' heartbeats.

Two ways in: the ``wushe`` command, which sets umask 077 first, and a bare Python process
under umask 022 (as a WSGI server that imports the settings without our entry point), where
the explicit modes alone must hold."""

from __future__ import annotations

import json
import stat
import subprocess
import sys
from pathlib import Path

from wushe.core.tests.procs import ROOT, env_for, wushe_argv

# Touch everything a running installation creates in its data directory.
CREATE = """
import types
from django.db import connections
from wushe.core import progress
for alias in connections:
    with connections[alias].cursor() as cur:  # opens the file in WAL mode: -wal and -shm
        cur.execute("CREATE TABLE IF NOT EXISTS t (x)")
        cur.execute("INSERT INTO t VALUES (1)")
job = progress.job_create(actor=types.SimpleNamespace(pk=1), kind="test")
(job.dir / "upload.xlsx").write_bytes(b"rows")
progress.heartbeat("w-1")
# Stat while the connections are open: SQLite removes -wal and -shm when the last one closes.
import json, stat
from django.conf import settings
root = settings.DATA_DIR
modes = {str(p.relative_to(root)): stat.S_IMODE(p.lstat().st_mode) for p in root.rglob("*")}
modes["."] = stat.S_IMODE(root.stat().st_mode)
print(json.dumps({"job": job.id, "modes": modes}))
"""

BARE = """
import os, sys
os.umask(0o022)
import django
django.setup()
exec(sys.stdin.read())
"""


def _check(data_dir: Path, stdout: str, *, ignore: tuple[str, ...] = ()) -> None:
    seen = json.loads(stdout.strip().splitlines()[-1])
    job_id, modes = seen["job"], seen["modes"]
    expected = {
        "wushe.sqlite3", "wushe.sqlite3-wal", "wushe.sqlite3-shm", "cache.sqlite3",
        "cache.sqlite3-wal", "cache.sqlite3-shm", "keys.json", "jobs",
        f"jobs/{job_id}", f"jobs/{job_id}/state.json", "workers", "workers/w-1",
    }
    assert expected <= set(modes), sorted(set(expected) - set(modes))
    wrong = {name: oct(mode) for name, mode in modes.items()
             if mode != (0o700 if (data_dir / name).is_dir() else 0o600)}
    for name in ignore:
        wrong.pop(name, None)
    assert wrong == {}


def test_wushe_command_creates_everything_private(tmp_path: Path) -> None:
    data_dir = tmp_path / "cli" / "data"
    done = subprocess.run(wushe_argv("shell", "--no-imports", "-c", CREATE),
                          env=env_for(data_dir), cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    _check(data_dir, done.stdout)
    # Under umask 077 even a file our code writes without a mode is private.
    assert stat.S_IMODE(next(data_dir.glob("jobs/*/upload.xlsx")).stat().st_mode) == 0o600


def test_explicit_modes_hold_under_a_permissive_umask(tmp_path: Path) -> None:
    data_dir = tmp_path / "bare" / "data"
    done = subprocess.run([sys.executable, "-c", BARE], input=CREATE, env=env_for(data_dir),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    job_id = json.loads(done.stdout.strip().splitlines()[-1])["job"]
    # The upload this test's own code wrote under umask 022 is not one wushe made.
    _check(data_dir, done.stdout, ignore=(f"jobs/{job_id}/upload.xlsx",))


def test_wsgi_entry_sets_the_private_umask(tmp_path: Path) -> None:
    code = ("import os; os.umask(0o022); import config.wsgi; "
            "print(oct(os.umask(0o022)))")
    done = subprocess.run([sys.executable, "-c", code], env=env_for(tmp_path / "data"),
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[-1] == oct(0o077)


def test_no_key_file_is_written_when_every_key_comes_from_the_environment(tmp_path: Path) -> None:
    """Production keeps its keys in a root-only environment file (docs/deploy.md): the data
    directory then holds none, so no copy of it can carry them."""
    env = env_for(tmp_path, WUSHE_SECRET_KEY="s" * 50, WUSHE_BLIND_INDEX_KEY="b" * 32,
                  WUSHE_PII_KEYS="k1:" + "A" * 43 + "=")
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                          cwd=ROOT, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert not (tmp_path / "keys.json").exists()
    # With one key missing from the environment, development keys are generated as before.
    del env["WUSHE_PII_KEYS"]
    subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, cwd=ROOT,
                   check=True, timeout=60, capture_output=True)
    assert (tmp_path / "keys.json").exists()
