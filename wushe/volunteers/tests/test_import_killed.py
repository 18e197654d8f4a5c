"""A roster import killed in the middle of writing leaves nothing behind.

A real process (``manage.py import volunteers``) on a real SQLite file is killed with SIGKILL
once it has started writing batches; the database then holds no volunteer, person, consent or
membership of that import, and a fresh run imports everything.
"""

from __future__ import annotations

import os
import re
import select
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from wushe.volunteers.bench import write_xlsx
from wushe.volunteers.importers import VolunteerImporter
from wushe.volunteers.tests.roster import HEADERS, rows

ROOT = Path(__file__).resolve().parents[3]
ROWS = 20_000
SETUP = """
import django
django.setup()
from django.core.management import call_command
call_command("migrate", interactive=False, verbosity=0)
from wushe.accounts.services import user_create
from wushe.regions.services import region_create
from wushe.volunteers.services import team_create
root = user_create(actor=None, username="root", password="x", is_superuser=True,
                   check_password=False)
d = region_create(actor=root, code="500107000000", name="九龙坡区", kind="district", parent=None)
s = region_create(actor=root, code="500107001000", name="杨家坪街道", kind="street", parent=d)
c = region_create(actor=root, code="500107001001", name="杨坪社区", kind="community", parent=s)
corps = team_create(actor=root, name="总队", level="corps", region=d)
det = team_create(actor=root, name="分队", level="detachment", region=s, parent=corps)
team_create(actor=root, name="小队", level="squad", region=c, parent=det)
user_create(actor=None, username="importer", password="x", grants=[("district_admin", d)],
            check_password=False)
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # a file the test can open after the kill
    env.update(WUSHE_DATA_DIR=str(data_dir), PYTHONUNBUFFERED="1",
               DJANGO_SETTINGS_MODULE=os.environ.get("DJANGO_SETTINGS_MODULE",
                                                     "config.settings.test"))
    return env


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]  # noqa: S608
                for t in ("people_person", "people_consent", "volunteers_volunteer",
                          "volunteers_membership")}


def test_killed_import_leaves_nothing(tmp_path: Path) -> None:
    env = _env(tmp_path)
    subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True, timeout=120)
    roster = tmp_path / "roster.xlsx"
    write_xlsx([HEADERS, *rows(ROWS, "500107001001", "000100010001")], roster)
    argv = [sys.executable, "manage.py", "import", "volunteers", str(roster), "--user",
            "importer"]
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    assert proc.stderr is not None
    seen = b""
    writing = False
    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            ready, _w, _x = select.select([proc.stderr], [], [], 0.5)
            if not ready:
                continue
            seen += os.read(proc.stderr.fileno(), 4096)
            counts = [int(n) for n in re.findall(rb"(\d+) rows", seen)]
            # Rows are checked and written batch by batch: past the first batch means one
            # has been written inside the import's transaction.
            if counts and max(counts) > VolunteerImporter.batch_size:
                writing = True
                break
        assert writing, seen[-2000:]
        assert proc.poll() is None, "the import finished before it could be killed"
        proc.kill()
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -9
    assert _counts(tmp_path / "wushe.sqlite3") == {
        "people_person": 0, "people_consent": 0, "volunteers_volunteer": 0,
        "volunteers_membership": 0}
    # The database is whole: an import runs to the end on it (a few of the same rows).
    small = tmp_path / "small.xlsx"
    write_xlsx([HEADERS, *rows(50, "500107001001", "000100010001")], small)
    done = subprocess.run([*argv[:4], str(small), *argv[5:]], cwd=ROOT, env=env,
                          capture_output=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert _counts(tmp_path / "wushe.sqlite3")["volunteers_volunteer"] == 50
