"""Backups of an embedded (SQLite) installation and their restore (issue #18).

``wushe backup`` copies the live database with SQLite's online backup API: one step under one
read transaction, so in WAL mode the copy is a consistent snapshot while the server and the
worker go on writing. The archive is one tar.gz, mode 0600::

    manifest.json     format, time, wushe version, schema (latest applied migration per app),
                      row counts per table, the head of each hash-chained ledger, and the
                      SHA-256 and size of every other member
    wushe.sqlite3     the database copy
    media/...         uploaded files, when MEDIA_ROOT is set and exists

The key ring (keys.json, WUSHE_PII_KEYS, WUSHE_BLIND_INDEX_KEY, WUSHE_SECRET_KEY) never goes
into a backup: personal data in the copy stays encrypted, and the keys are kept apart.

``wushe restore`` checks the manifest (every member's checksum, a schema the code knows),
refuses a target database that is not empty, writes the copy beside the target under a
temporary name, re-counts its rows and re-reads the ledger heads against the manifest, runs
the ledger verification on it, and only then moves it into place. Any refusal leaves the
target as it was.

PostgreSQL is backed up by WAL archiving and base backups: docs/backup.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings
from django.db import connections

from wushe.core.errors import WusheError

FORMAT = "wushe-backup/1"
MANIFEST = "manifest.json"
DATABASE = "wushe.sqlite3"
MEDIA = "media"
CHUNK = 1 << 20
DOC = "docs/backup.md"


class BackupRefused(WusheError):
    """A backup or a restore that cannot go on; nothing was written."""

    status = 409
    code = "backup_refused"


def _refused(code: str, zh: str, en: str) -> BackupRefused:
    return BackupRefused(zh, en, code=code)


def keys_notice() -> dict[str, str]:
    """Where the keys are, and that they are kept apart from every backup."""
    where = [str(Path(settings.DATA_DIR) / "keys.json")]
    if os.environ.get("WUSHE_PII_KEYS"):
        where.append("WUSHE_PII_KEYS / WUSHE_BLIND_INDEX_KEY / WUSHE_SECRET_KEY (environment)")
    places = ", ".join(where)
    return {
        "zh": (f"密钥不在备份中: {places}。请将密钥另行保管(与备份分开存放、分开传输);"
               "没有同一套密钥, 备份中的个人信息无法解密。"),
        "en": (f"The keys are not in the backup: {places}. Keep them apart from the backups "
               "(stored and carried separately); without the same keys the personal data in a "
               "backup cannot be decrypted."),
    }


def postgres_notice() -> dict[str, str]:
    return {
        "zh": ("PostgreSQL 的备份方式是持续 WAL 归档加定期基础备份(pg_basebackup), 可恢复到任一时刻; "
               f"wushe backup 只用于内置的 SQLite 数据库。步骤见 {DOC} 的 “PostgreSQL” 一节。"),
        "en": ("PostgreSQL is backed up by continuous WAL archiving and periodic base backups "
               "(pg_basebackup), which restore to any point in time; `wushe backup` is for the "
               f"embedded SQLite database only. See the section \"PostgreSQL\" of {DOC}."),
    }


# --- what a database holds ------------------------------------------------------------------

@dataclass(frozen=True)
class Ledger:
    """A hash-chained ledger: the table of its head row and the head's columns, and the
    ledger's own verification (run on a restored copy; returns at least ``{"ok": bool}``)."""

    name: str
    model: str  # app_label.ModelName of the head (one row)
    verify: Callable[[], dict[str, Any]]
    seq: str = "seq"
    hash: str = "hash"


# The ledgers a backup records and a restore verifies: an app registers its own from
# ``AppConfig.ready()`` (``wushe/charity/apps.py``), so core imports no app.
LEDGERS: list[Ledger] = []


def register_ledger(ledger: Ledger) -> None:
    """Add (or replace, by name) a hash-chained ledger."""
    LEDGERS[:] = [x for x in LEDGERS if x.name != ledger.name] + [ledger]


def _ledger_table(ledger: Ledger) -> str:
    from django.apps import apps

    return str(apps.get_model(ledger.model)._meta.db_table)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table' "
                      "AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall()
    return [r[0] for r in rows]


def row_counts(db: sqlite3.Connection) -> dict[str, int]:
    return {t: int(db.execute(f"SELECT COUNT(*) FROM {_quote(t)}").fetchone()[0])  # noqa: S608
            for t in tables(db)}


def schema_version(db: sqlite3.Connection) -> dict[str, str]:
    """The latest applied migration of each app."""
    latest: dict[str, str] = {}
    for app, name in db.execute("SELECT app, name FROM django_migrations ORDER BY id"):
        latest[app] = name
    return latest


def ledger_heads(db: sqlite3.Connection) -> dict[str, dict[str, Any]]:
    present = set(tables(db))
    heads: dict[str, dict[str, Any]] = {}
    for ledger in LEDGERS:
        table = _ledger_table(ledger)
        if table not in present:
            continue
        row = db.execute(f"SELECT {_quote(ledger.seq)}, {_quote(ledger.hash)} "  # noqa: S608
                         f"FROM {_quote(table)} ORDER BY 1 DESC LIMIT 1").fetchone()
        heads[ledger.name] = {"seq": int(row[0]), "hash": str(row[1])} if row else {
            "seq": 0, "hash": None}
    return heads


def _code_migrations() -> set[tuple[str, str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    return set(loader.disk_migrations)


def wushe_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wushe")
    except PackageNotFoundError:
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _private_file(path: Path) -> IO[bytes]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    return os.fdopen(fd, "wb")


def database_path() -> Path:
    return Path(settings.DATABASES["default"]["NAME"])


def is_sqlite() -> bool:
    return str(settings.DATABASES["default"]["ENGINE"]).endswith("sqlite3")


# --- backup ---------------------------------------------------------------------------------

def _media_root() -> Path | None:
    root = getattr(settings, "MEDIA_ROOT", "")
    return Path(root) if root and Path(root).is_dir() else None


def backup(output: Path | None = None) -> dict[str, Any]:
    """Write the archive (0600); the manifest, with the archive's path under "archive"."""
    if not is_sqlite():
        raise _refused("backup_postgresql", postgres_notice()["zh"], postgres_notice()["en"])
    source_path = database_path()
    if not source_path.exists():
        raise _refused("backup_no_database", "没有可备份的数据库", "There is no database to back up")
    now = dt.datetime.now(dt.UTC)
    if output is None:
        folder = Path(settings.DATA_DIR) / "backups"
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        output = folder / f"wushe-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    output = output.resolve()
    if output.exists():
        raise _refused("backup_exists", "目标文件已存在, 不会覆盖",
                       "The output file exists; it is not overwritten")
    with tempfile.TemporaryDirectory(dir=output.parent, prefix=".backup-") as work:
        copy = Path(work) / DATABASE
        os.close(os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        src = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=60)
        dest = sqlite3.connect(copy)
        try:
            src.backup(dest)  # one step: a consistent snapshot, writers go on (WAL)
        finally:
            src.close()
        try:
            dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            counts = row_counts(dest)
            schema = schema_version(dest)
            heads = ledger_heads(dest)
        finally:
            dest.close()
        files = {DATABASE: {"sha256": _sha256(copy), "bytes": copy.stat().st_size}}
        media = _media_root()
        media_files: list[tuple[str, Path]] = []
        if media is not None:
            for path in sorted(media.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    name = f"{MEDIA}/{path.relative_to(media).as_posix()}"
                    files[name] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
                    media_files.append((name, path))
        manifest = {"format": FORMAT, "created": now.isoformat(), "wushe_version": wushe_version(),
                    "database": "sqlite", "schema": schema, "rows": counts, "ledgers": heads,
                    "files": files, "keys_included": False}
        body = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
        partial = Path(work) / "archive.tar.gz"
        with _private_file(partial) as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            info = tarfile.TarInfo(MANIFEST)
            info.size, info.mode, info.mtime = len(body), 0o600, int(now.timestamp())
            tar.addfile(info, io.BytesIO(body))
            tar.add(copy, arcname=DATABASE, recursive=False)
            for name, path in media_files:
                tar.add(path, arcname=name, recursive=False)
        os.replace(partial, output)
    return {**manifest, "archive": str(output)}


# --- restore --------------------------------------------------------------------------------

@dataclass
class Archive:
    path: Path
    manifest: dict[str, Any]
    members: dict[str, tarfile.TarInfo] = field(default_factory=dict)


def _safe_name(name: str) -> bool:
    p = PurePosixPath(name)
    return (not p.is_absolute() and ".." not in p.parts and name == p.as_posix()
            and (name in (MANIFEST, DATABASE) or (len(p.parts) > 1 and p.parts[0] == MEDIA)))


def _tampered(en_detail: str, zh_detail: str) -> BackupRefused:
    return _refused("backup_tampered", f"备份文件已损坏或被改动: {zh_detail}",
                    f"The backup is damaged or was altered: {en_detail}")


def open_archive(path: Path) -> Archive:
    """Read and check the manifest and the list of members (not their content yet)."""
    try:
        with tarfile.open(path, mode="r:gz") as tar:
            members = {m.name: m for m in tar.getmembers()}
            for name, info in members.items():
                if not (_safe_name(name) and info.isfile()):
                    raise _tampered("an unexpected member", "含有不应有的内容")
            if MANIFEST not in members:
                raise _tampered("no manifest", "缺少清单")
            handle = tar.extractfile(members[MANIFEST])
            assert handle is not None
            manifest = json.loads(handle.read(10 * CHUNK).decode())
    except (OSError, tarfile.TarError, EOFError, UnicodeDecodeError, ValueError) as exc:
        if isinstance(exc, BackupRefused):
            raise
        raise _refused("backup_unreadable", "无法读取备份文件(不是 wushe 备份)",
                       "The backup cannot be read (not a wushe backup)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refused("backup_unreadable", "无法读取备份文件(不是 wushe 备份)",
                       "The backup cannot be read (not a wushe backup)")
    files = manifest.get("files")
    if not isinstance(files, dict) or set(files) != set(members) - {MANIFEST} \
            or DATABASE not in files:
        raise _tampered("the members differ from the manifest", "文件与清单不符")
    return Archive(path, manifest, members)


def check_schema(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup made by newer code; the apps whose migrations are pending after it."""
    known = _code_migrations()
    schema = manifest.get("schema")
    if not isinstance(schema, dict):
        raise _tampered("no schema version", "缺少数据库结构版本")
    newer = sorted(app for app, name in schema.items() if (app, name) not in known)
    if newer:
        raise _refused("backup_schema_newer",
                       f"备份的数据库结构比本程序新({', '.join(newer)}), 请先升级 wushe 再恢复",
                       f"The backup's schema is newer than this code's ({', '.join(newer)}): "
                       "upgrade wushe before restoring")
    latest: dict[str, str] = {}
    for app, name in sorted(known):
        latest[app] = max(latest.get(app, ""), name)
    return sorted(app for app, name in latest.items() if schema.get(app, "") < name)


def target_is_empty(db_path: Path) -> bool:
    """No database file, or one without a single table (a fresh data directory)."""
    wal = Path(f"{db_path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        return False
    if not db_path.exists() or db_path.stat().st_size == 0:
        return True
    try:
        db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
        try:
            return not tables(db)
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return False


@contextmanager
def _django_on(path: Path) -> Iterator[None]:
    """The default connection pointed at another SQLite file for the block."""
    conn = connections["default"]
    conn.close()
    old = conn.settings_dict["NAME"]
    conn.settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        conn.close()
        conn.settings_dict["NAME"] = old


def _extract(tar: tarfile.TarFile, info: tarfile.TarInfo, target: Path, expected: Any) -> None:
    handle = tar.extractfile(info)
    if handle is None or not isinstance(expected, dict):
        raise _tampered("a member cannot be read", "无法读取其中的文件")
    digest = hashlib.sha256()
    size = 0
    with _private_file(target) as out:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    if digest.hexdigest() != expected.get("sha256") or size != expected.get("bytes"):
        raise _tampered(f"checksum of {info.name}", f"{info.name} 的校验和不符")


def restore(path: Path, data_dir: Path | None = None) -> dict[str, Any]:
    """Restore the archive into ``data_dir`` (default: this installation's); the report."""
    if not is_sqlite():
        raise _refused("restore_postgresql", postgres_notice()["zh"], postgres_notice()["en"])
    archive = open_archive(path)
    manifest = archive.manifest
    pending = check_schema(manifest)
    if data_dir is None:
        target = database_path()
    else:
        data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        target = data_dir.resolve() / database_path().name
    if not target_is_empty(target):
        raise _refused("restore_target_not_empty",
                       "目标数据库不是空的, 不会覆盖; 请换一个空的数据目录, 或先把现有数据库移走",
                       "The target database is not empty and is not overwritten: restore into "
                       "an empty data directory, or move the existing database away first")
    staging = Path(tempfile.mkdtemp(dir=target.parent, prefix=".restore-"))
    try:
        copy = staging / DATABASE
        with tarfile.open(path, mode="r:gz") as tar:
            for name, info in archive.members.items():
                if name == MANIFEST:
                    continue
                dest = staging / name
                dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                _extract(tar, info, dest, manifest["files"].get(name))
        db = sqlite3.connect(copy)
        try:
            ok = db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counts = row_counts(db)
            heads = ledger_heads(db)
        except sqlite3.DatabaseError:
            ok, counts, heads = False, {}, {}
        finally:
            db.close()
        if not ok:
            raise _tampered("the database copy is corrupt", "数据库副本已损坏")
        if counts != manifest.get("rows"):
            raise _tampered("row counts differ from the manifest", "行数与清单不符")
        if heads != manifest.get("ledgers"):
            raise _tampered("a ledger head differs from the manifest", "账本链头与清单不符")
        verified = verify_ledgers(copy)
        if not all(v["ok"] for v in verified.values()):
            raise _refused("restore_ledger_broken", "备份中的账本校验未通过, 未恢复",
                           "The ledger in the backup does not verify; nothing was restored")
        os.replace(copy, target)
        for wal in (Path(f"{target}-wal"), Path(f"{target}-shm")):
            wal.unlink(missing_ok=True)  # an empty leftover of the former (table-less) file
        media_done = 0
        media_src = staging / MEDIA
        if media_src.is_dir():
            media_dst = (Path(settings.MEDIA_ROOT) if getattr(settings, "MEDIA_ROOT", "")
                         and data_dir is None else target.parent / MEDIA)
            for item in sorted(media_src.rglob("*")):
                if item.is_file():
                    dest = media_dst / item.relative_to(media_src)
                    dest.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
                    if not dest.exists():
                        os.replace(item, dest)
                        media_done += 1
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"ok": True, "database": str(target), "created": manifest.get("created"),
            "wushe_version": manifest.get("wushe_version"), "tables": len(counts),
            "rows": sum(counts.values()), "rows_match": True, "ledgers": heads,
            "ledgers_verified": verified, "media_files": media_done,
            "pending_migrations": pending}


def verify_ledgers(db_path: Path) -> dict[str, dict[str, Any]]:
    """The ledger verification commands' own checks, run on the given database file."""
    from wushe.core.scoping import scopes_disabled

    with _django_on(db_path), scopes_disabled():
        return {ledger.name: ledger.verify() for ledger in LEDGERS}
