"""Roster imports started from the web page: the upload is saved, a worker thread runs the
shared pipeline, and the page polls a small JSON state file for the progress bar.

The state lives in files under DATA_DIR/imports (not in the database): the import holds the
database's write transaction from its first batch to its last, and the progress must be
readable meanwhile, from any server process. Nothing is committed until the whole import is:
a job that dies leaves its state at "running" and the database untouched; a job whose state
has not moved for ``STALE_AFTER`` is reported as interrupted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import close_old_connections, connection
from openpyxl import load_workbook

from wushe.core.errors import NotFound, ValidationFailed, WusheError
from wushe.core.excel import MAX_IMPORT_BYTES, errors_bytes, run_import

KIND = "volunteers"
STALE_AFTER = dt.timedelta(minutes=10)
_JOB_ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789"


def jobs_dir() -> Path:
    path = Path(settings.DATA_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _state_path(job_id: str) -> Path:
    if not job_id.isalnum() or len(job_id) != 20:
        raise NotFound()
    return jobs_dir() / f"{job_id}.json"


def _write_state(job_id: str, state: dict[str, Any]) -> None:
    state["updated"] = time.time()
    path = _state_path(job_id)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, path)  # readers never see half a file


def _row_estimate(path: Path) -> int:
    """Rows below the header, from the sheet's dimension (no full read)."""
    try:
        wb = load_workbook(path, read_only=True)
        rows = max(0, (wb.worksheets[0].max_row or 1) - 1)
        wb.close()
        return rows
    except Exception:  # an unreadable file is reported by the import itself  # noqa: BLE001
        return 0


def job_start(*, actor: Any, upload: IO[bytes], dry_run: bool, valid_only: bool,
              spawn: Callable[[Callable[[], None]], None] | None = None) -> str:
    """Save the upload, write the initial state, start the worker; returns the job id."""
    job_id = "".join(secrets.choice(_JOB_ID_CHARS) for _ in range(20))
    source = jobs_dir() / f"{job_id}.xlsx"
    size = 0
    with source.open("wb") as fh:
        for chunk in iter(lambda: upload.read(1 << 20), b""):
            size += len(chunk)
            if size > MAX_IMPORT_BYTES:
                fh.close()
                source.unlink(missing_ok=True)
                raise ValidationFailed("文件过大(上限64MB)", "The file is too large (64 MB at most)",
                                       field="file")
            fh.write(chunk)
    total = _row_estimate(source)
    _write_state(job_id, {"id": job_id, "user": actor.pk, "status": "running",
                          "phase": "parsing", "total": total, "done": 0, "percent": 0,
                          "dry_run": dry_run, "valid_only": valid_only, "result": None,
                          "error": None, "started": time.time()})
    (spawn or _thread)(lambda: run_job(job_id, actor, source, dry_run, valid_only, total))
    return job_id


def _thread(fn: Callable[[], None]) -> None:
    def work() -> None:
        close_old_connections()
        try:
            fn()
        finally:
            connection.close()  # this thread's own connection

    threading.Thread(target=work, name="volunteers-import", daemon=True).start()


def run_job(job_id: str, actor: Any, source: Path, dry_run: bool, valid_only: bool,
            total: int) -> None:
    state = json.loads(_state_path(job_id).read_text(encoding="utf-8"))
    last = [0.0]

    def progress(n: int) -> None:
        # n counts parsed rows, then parsed rows plus written rows: two halves of the bar.
        now = time.monotonic()
        if now - last[0] < 0.5:
            return
        last[0] = now
        writing = total and n > total
        state.update(phase="writing" if writing else "parsing", done=n,
                     percent=min(99, int(n * 50 / total)) if total else 0)
        _write_state(job_id, state)

    try:
        with source.open("rb") as fh:
            result = run_import(KIND, fh, actor=actor, dry_run=dry_run, valid_only=valid_only,
                                progress=progress)
        if result.errors:
            (jobs_dir() / f"{job_id}-errors.xlsx").write_bytes(errors_bytes(result))
        summary = result.as_dict()
        summary["errors"] = summary["errors"][:200]  # type: ignore[index]
        state.update(status="done", phase="done", percent=100, result=summary)
    except WusheError as exc:
        state.update(status="failed", phase="done", error=exc.message)
    except Exception as exc:  # the page must say so rather than spin forever  # noqa: BLE001
        state.update(status="failed", phase="done",
                     error={"zh": f"导入失败:{type(exc).__name__}", "en": f"Import failed: {exc}"})
    finally:
        source.unlink(missing_ok=True)
        _write_state(job_id, state)


def job_state(*, actor: Any, job_id: str) -> dict[str, Any]:
    """The job's state, for the user who started it only."""
    path = _state_path(job_id)
    if not path.exists():
        raise NotFound()
    state = json.loads(path.read_text(encoding="utf-8"))
    if state.get("user") != getattr(actor, "pk", None):
        raise NotFound()
    if state["status"] == "running" and time.time() - state["updated"] > \
            STALE_AFTER.total_seconds():
        state.update(status="failed", error={
            "zh": "导入进程已中断,数据库未写入任何数据,请重新导入",
            "en": "The import was interrupted; nothing was written. Import again."})
    state["has_errors_file"] = (jobs_dir() / f"{job_id}-errors.xlsx").exists()
    return state


def errors_file(*, actor: Any, job_id: str) -> bytes:
    job_state(actor=actor, job_id=job_id)
    path = jobs_dir() / f"{job_id}-errors.xlsx"
    if not path.exists():
        raise NotFound()
    return path.read_bytes()
