"""Changing one ledger row directly in the SQLite database file: ``wushe ledger verify`` names it.

The database is a throwaway data directory built in subprocesses (the test database of
pytest lives inside a transaction no other process can see).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from wushe.charity.tests.test_concurrency import _env, _run


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    path = tmp_path_factory.mktemp("ledger-file")
    shutil.copytree(sqlite_template, path, dirs_exist_ok=True)
    env = _env(path, None)
    fund = _run(["setup", "--balance", "5000"], env)["fund"]
    _run(["work", "--fund", str(fund), "--count", "6", "--amount", "250"], env)
    return path


@pytest.fixture
def data_dir(built: Path, tmp_path: Path) -> Path:
    """A copy per test: one test's tampering must not leak into the next."""
    target = tmp_path / "data"
    shutil.copytree(built, target)
    return target


def _verify(data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "wushe.cli", "ledger", "verify"],
                          env=_env(data_dir, None), capture_output=True, text=True, check=False)


def test_intact_ledger_verifies(data_dir: Path) -> None:
    done = _verify(data_dir)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "7 笔分录" in done.stdout


def test_triggers_refuse_a_direct_update(data_dir: Path) -> None:
    with sqlite3.connect(data_dir / "wushe.sqlite3") as db, \
            pytest.raises(sqlite3.DatabaseError, match="append-only"):
        db.execute("UPDATE charity_ledgerposting SET debit = 1 WHERE id = 3")


def test_changed_row_in_the_file_is_named(data_dir: Path) -> None:
    with sqlite3.connect(data_dir / "wushe.sqlite3") as db:
        # What someone with the file can do: drop the trigger, then edit the row.
        db.execute("DROP TRIGGER charity_ledgerposting_no_update")
        entry = db.execute("SELECT entry_id FROM charity_ledgerposting WHERE id = 9").fetchone()[0]
        db.execute("UPDATE charity_ledgerposting SET debit = CASE WHEN debit > 0 THEN 25 "
                   "ELSE 0 END, credit = CASE WHEN credit > 0 THEN 25 ELSE 0 END WHERE id = 9")
    done = _verify(data_dir)
    assert done.returncode == 1
    assert f"#{entry}" in done.stdout
    assert f"第 {entry} 号分录的内容与其哈希不符" in done.stdout
