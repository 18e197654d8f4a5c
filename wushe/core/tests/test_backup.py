"""``wushe backup`` and ``wushe restore`` as real processes on SQLite (#18): a backup taken while
another process writes restores into an empty data directory with the same row counts, a
ledger that verifies and personal data that decrypts with the same keys; a non-empty target,
a tampered archive, a manifest that lies and a schema from newer code are refused with nothing
written; the keys are never in the archive; on PostgreSQL the command points to the doc."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import time
from pathlib import Path
from typing import Any

import pytest

from wushe.core.tests.procs import ROOT, env_for, migrated_data_dir, shell
from wushe.core.tests.procs import wushe_argv as argv

PHONE = "13912345678"

WORLD = f"""
import uuid
from wushe.accounts.services import user_create
from wushe.charity import services
from wushe.regions.services import region_create
root = user_create(actor=None, username="root", password="x", is_superuser=True,
                   check_password=False)
district = region_create(actor=root, code="500107000000", name="九龙坡区", kind="district",
                         parent=None)
admin = user_create(actor=None, username="admin", password="x",
                    grants=[("district_admin", district)], check_password=False)
fund = services.fund_create(actor=admin, region=district, name="慈善纾困基金", kind="special",
                            parent_org_name="区慈善会")
services.fund_set_status(actor=admin, fund=fund, status="active")
donor = services.donor_create(actor=admin, region=district, kind="person", name="王小明",
                              phone={PHONE!r})
for _ in range(5):
    services.donation_receive(actor=admin, fund=fund, donor=donor, kind="cash", amount="100.00",
                              idempotency_key_value=uuid.uuid4().hex)
"""

# Donations, one transaction each, until told to stop (a file appears), at most 5 minutes: a
# fixed count could run out before the backup ends on a fast, idle machine.
WRITER = """
import pathlib, sys, time, uuid
from wushe.accounts.models import User
from wushe.charity import services
from wushe.charity.models import Donor, Fund
from wushe.core.scoping import scopes_disabled
stop = pathlib.Path({stop!r})
with scopes_disabled():
    admin = User.objects.get(username="admin")
    fund, donor = Fund.objects.get(), Donor.objects.get()
deadline, i = time.monotonic() + 300, 0
while not stop.exists() and time.monotonic() < deadline:
    services.donation_receive(actor=admin, fund=fund, donor=donor, kind="cash", amount="1.00",
                              idempotency_key_value=uuid.uuid4().hex)
    i += 1
    if i == 4:
        print("writing", flush=True)
print("done", i, flush=True)
"""

READ_BACK = """
import json
from wushe.charity.models import Donor, LedgerHead
from wushe.core.scoping import scopes_disabled
with scopes_disabled():
    print(json.dumps({"phone": Donor.objects.get().phone, "head": LedgerHead.objects.get().seq}))
"""


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv(*args), env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=180)


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory, django_db_setup: Any,
           django_db_blocker: Any) -> dict[str, Any]:
    """A data directory with a fund, a donor with a phone, donations (ledger entries); a backup
    of it taken while another process was making donations."""
    data_dir = migrated_data_dir(tmp_path_factory.mktemp("source"), django_db_blocker)
    env = env_for(data_dir)
    shell(env, WORLD)
    stop = data_dir.parent / "stop-writer"
    writer = subprocess.Popen(  # noqa: S603 (our own command)
        argv("shell", "--no-imports", "-c", WRITER.format(stop=str(stop))), env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert writer.stdout is not None
        assert writer.stdout.readline().strip() == "writing"
        archive = data_dir.parent / "backup.tar.gz"
        started = time.perf_counter()
        done = run(env, "backup", "-o", str(archive), "--json")
        seconds = time.perf_counter() - started
        assert done.returncode == 0, done.stderr[-3000:]
        assert writer.poll() is None, "the writer must still be writing during the backup"
    finally:
        stop.touch()
        out, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err[-3000:]
    manifest = json.loads(done.stdout)
    return {"env": env, "dir": data_dir, "archive": archive, "manifest": manifest,
            "stderr": done.stderr, "seconds": seconds, "made": int(out.split()[-1])}


def test_backup_while_writing_restores_same_counts_verifying_ledger_and_decryptable_data(
        source: dict[str, Any], tmp_path: Path) -> None:
    manifest = source["manifest"]
    print(json.dumps({"backup_seconds": round(source["seconds"], 2),  # the report's figures
                      "rows": sum(manifest["rows"].values()), "writer_donations": source["made"]}))
    head = manifest["ledgers"]["charity"]
    assert head["seq"] >= 5 + 4  # the world's donations and the writer's first ones
    # The writer went on after the snapshot: the live head is further than the backup's.
    live = json.loads(shell(source["env"], READ_BACK))
    assert live["head"] > head["seq"]
    target = tmp_path / "restored"
    done = run(env_for(tmp_path / "scratch"), "restore", str(source["archive"]),
               "--data-dir", str(target))
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["ok"] and report["rows_match"]
    assert report["ledgers"]["charity"] == head
    assert report["ledgers_verified"]["charity"]["ok"]
    assert report["ledgers_verified"]["charity"]["head_hash"] == head["hash"]
    # Counted again here, independently of the command.
    db = sqlite3.connect(target / "wushe.sqlite3")
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        counts = {t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]  # noqa: S608
                  for t in tables}
    finally:
        db.close()
    assert counts == manifest["rows"]
    assert counts["charity_donation"] == head["seq"]  # one ledger entry per donation
    # The keys were kept apart: brought back beside the restored database, the phone decrypts.
    shutil.copy(source["dir"] / "keys.json", target / "keys.json")
    restored_env = env_for(target)
    assert json.loads(shell(restored_env, READ_BACK)) == {"phone": PHONE, "head": head["seq"]}
    verify = run(restored_env, "ledger", "verify", "--json")
    assert verify.returncode == 0, verify.stdout
    assert json.loads(verify.stdout)["head_hash"] == head["hash"]


def test_archive_holds_manifest_and_database_but_no_key_and_no_clear_phone(
        source: dict[str, Any]) -> None:
    archive: Path = source["archive"]
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert names == ["manifest.json", "wushe.sqlite3"]
    raw = gzip.decompress(archive.read_bytes())
    keys = json.loads((source["dir"] / "keys.json").read_text())
    for value in (keys["pii_keys"].split(":", 1)[1], keys["blind_index_key"], keys["secret_key"]):
        assert value.encode() not in raw
    assert PHONE.encode() not in raw
    manifest = source["manifest"]
    assert manifest["keys_included"] is False
    assert manifest["schema"]["charity"].startswith("00")
    assert manifest["files"]["wushe.sqlite3"]["sha256"]
    # The command says where the keys are and that they are kept apart, in both languages.
    assert str(source["dir"] / "keys.json") in source["stderr"]
    assert "密钥不在备份中" in source["stderr"] and "Keep them apart" in source["stderr"]


def _refused(env: dict[str, str], archive: Path, target: Path, code: str) -> dict[str, Any]:
    done = run(env, "restore", str(archive), "--data-dir", str(target))
    assert done.returncode == 1, done.stdout + done.stderr[-2000:]
    body = json.loads(done.stdout.strip().splitlines()[-1])
    assert body["ok"] is False and body["code"] == code
    assert body["message"]["zh"] and body["message"]["en"]
    return body


def test_restore_into_non_empty_database_is_refused_and_changes_nothing(
        source: dict[str, Any], tmp_path: Path) -> None:
    db = source["dir"] / "wushe.sqlite3"
    shell(source["env"], "from django.db import connection; connection.cursor().execute("
                         "'PRAGMA wal_checkpoint(TRUNCATE)')")
    before = sha(db)
    _refused(env_for(tmp_path / "scratch"), source["archive"], source["dir"],
             "restore_target_not_empty")
    assert sha(db) == before
    assert not list(source["dir"].glob(".restore-*"))


def _rewrite(archive: Path, dest: Path, *, manifest: Any = None,
             database: Any = None) -> Path:
    """A copy of the archive with the manifest or the database bytes changed."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}  # type: ignore[union-attr]
    if manifest is not None:
        members["manifest.json"] = json.dumps(manifest(json.loads(members["manifest.json"]))).encode()
    if database is not None:
        members["wushe.sqlite3"] = database(members["wushe.sqlite3"])
    with tarfile.open(dest, "w:gz") as tar:
        for name, body in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(body)
            tar.addfile(info, io.BytesIO(body))
    return dest


def _flip(body: bytes) -> bytes:
    at = len(body) // 2
    return body[:at] + bytes([body[at] ^ 0xFF]) + body[at + 1:]


def _lie_rows(m: dict[str, Any]) -> dict[str, Any]:
    m["rows"]["charity_donation"] += 1
    return m


def _newer_schema(m: dict[str, Any]) -> dict[str, Any]:
    m["schema"]["charity"] = "9999_from_the_future"
    return m


@pytest.mark.parametrize(("change", "code"), [
    ({"database": _flip}, "backup_tampered"),
    ({"manifest": _lie_rows}, "backup_tampered"),
    ({"manifest": _newer_schema}, "backup_schema_newer"),
])
def test_tampered_or_newer_archive_is_refused_and_nothing_written(
        source: dict[str, Any], tmp_path: Path, change: dict[str, Any], code: str) -> None:
    bad = _rewrite(source["archive"], tmp_path / "bad.tar.gz", **change)
    target = tmp_path / "target"
    _refused(env_for(tmp_path / "scratch"), bad, target, code)
    assert not target.exists() or list(target.iterdir()) == []


def test_not_an_archive_is_refused(source: dict[str, Any], tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a backup")
    _refused(env_for(tmp_path / "scratch"), junk, tmp_path / "target", "backup_unreadable")


def test_backup_on_postgresql_points_to_wal_archiving(tmp_path: Path) -> None:
    env = env_for(tmp_path, DATABASE_URL="postgres://wushe@127.0.0.1:1/wushe")
    done = run(env, "backup", "-o", str(tmp_path / "x.tar.gz"))
    assert done.returncode == 2
    assert "docs/backup.md" in done.stderr
    assert "WAL" in done.stderr and "归档" in done.stderr
    assert not (tmp_path / "x.tar.gz").exists()

