"""Excel imports started from a page: the upload is saved into a job (core/progress.py) and
the shared pipeline (core/excel.run_import) runs in the job's worker, reporting rows parsed and
rows written to the progress bar. Every importer's page uses this; the pipeline's guarantees
(all-or-nothing by default, one transaction) are unchanged, so a job that dies has written
nothing.
"""

from __future__ import annotations

import os
import shutil
import time
import zipfile
from pathlib import Path
from typing import IO, Any

from openpyxl import load_workbook

from wushe.core import progress
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.excel import IMPORTERS, MAX_IMPORT_BYTES, errors_bytes, run_import

JOB_KIND = "import"
SOURCE = f"{progress.UPLOAD_PREFIX}.xlsx"
ERRORS = "errors.xlsx"
ERRORS_SHOWN = 200
_SAVE_EVERY = 0.5  # seconds between state writes: the page polls once a second


def _row_estimate(path: Path) -> int:
    """Rows below the header: from the sheet's dimension when the file records one (Excel
    does), else by counting the sheet's row elements in the zip, without parsing any cell
    (openpyxl's write-only files and several other tools leave the sheet unsized)."""
    try:
        wb = load_workbook(path, read_only=True)
        ws = wb.worksheets[0]
        rows, sheet_path = ws.max_row, getattr(ws, "_worksheet_path", None)
        wb.close()
        if rows is None and sheet_path:
            rows = _count_rows(path, sheet_path)
        return max(0, (rows or 1) - 1)
    except Exception:  # noqa: BLE001  (an unreadable file is reported by the import itself)
        return 0


def _count_rows(path: Path, sheet_path: str) -> int:
    count, tail = 0, b""
    with zipfile.ZipFile(path) as archive, archive.open(sheet_path) as sheet:
        for chunk in iter(lambda: sheet.read(1 << 20), b""):
            data = tail + chunk
            count += data.count(b"<row ") + data.count(b"<row>")
            tail = data[-5:]  # a tag split across chunks is counted once, in the next one
            count -= tail.count(b"<row ") + tail.count(b"<row>")
    return count + tail.count(b"<row ") + tail.count(b"<row>")


def _too_large() -> ValidationFailed:
    return ValidationFailed("文件过大(上限64MB)", "The file is too large (64 MB at most)",
                            field="file", code="too_large")


def _save_upload(upload: IO[bytes], target: Path) -> None:
    """Copy the upload into the job, readable by this user only: it holds personal data in
    clear until the worker has read it (it is deleted when the job ends, or by
    ``core.jobs_prune`` once a dead job is stale)."""
    size = 0
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        for chunk in iter(lambda: upload.read(1 << 20), b""):
            size += len(chunk)
            if size > MAX_IMPORT_BYTES:
                break
            fh.write(chunk)
    if size > MAX_IMPORT_BYTES:
        target.unlink(missing_ok=True)
        raise _too_large()


def job_start(*, actor: Any, kind: str, upload: IO[bytes], dry_run: bool, valid_only: bool,
              back: str = "") -> str:
    """Check the actor may import ``kind``, save the upload, start the worker; the job id.

    ``back`` is the import page to return to (the job page links to it)."""
    if kind not in IMPORTERS:
        raise ValidationFailed(f"未知的导入类型 {kind}", f"Unknown import kind {kind}")
    IMPORTERS[kind](actor).check_permission()  # refuse before anything is saved
    if (getattr(upload, "size", None) or 0) > MAX_IMPORT_BYTES:
        raise _too_large()
    importer = IMPORTERS[kind]
    job = progress.job_create(actor=actor, kind=JOB_KIND, importing=kind, back=back,
                              title={"zh": importer.title_zh, "en": importer.title_en},
                              dry_run=dry_run, valid_only=valid_only, total=0, done=0,
                              result=None)
    source = job.dir / SOURCE
    try:
        _save_upload(upload, source)
        if not zipfile.is_zipfile(source):  # refused on the form, before any job runs
            raise ValidationFailed("文件不是有效的 Excel(.xlsx)工作簿",
                                   "The file is not a valid Excel (.xlsx) workbook",
                                   field="file", code="not_xlsx")
    except ValidationFailed:
        shutil.rmtree(job.dir, ignore_errors=True)
        raise
    total = _row_estimate(source)
    job.save(phase="parsing", total=total)
    last = [0.0]

    def report(n: int) -> None:
        # n counts parsed rows, then parsed plus written rows: two halves of the bar.
        now = time.monotonic()
        if now - last[0] < _SAVE_EVERY:
            return
        last[0] = now
        writing = bool(total) and n > total
        job.save(phase="writing" if writing else "parsing", done=n,
                 percent=min(99, int(n * 50 / total)) if total else 0)

    def work(job: progress.Job) -> dict[str, Any]:
        with source.open("rb") as fh:
            result = run_import(kind, fh, actor=actor, dry_run=dry_run,
                                valid_only=valid_only, progress=report)
        if result.errors:
            (job.dir / ERRORS).write_bytes(errors_bytes(result))
        summary = result.as_dict()
        summary["errors"] = summary["errors"][:ERRORS_SHOWN]  # type: ignore[index]
        return {"result": summary, "has_errors_file": bool(result.errors)}

    progress.job_run(job, work, on_end=lambda job: source.unlink(missing_ok=True))
    return job.id


def job_state(*, actor: Any, job_id: str) -> dict[str, Any]:
    """The import job's state, for the user who started it only."""
    return progress.job_state(actor=actor, job_id=job_id, kind=JOB_KIND)


def errors_file(*, actor: Any, job_id: str) -> tuple[bytes, str]:
    """The job's error report and the kind it imported, for the user who started it only."""
    state = job_state(actor=actor, job_id=job_id)
    if not state.get("has_errors_file"):
        raise NotFound()
    return (progress.job_dir(job_id) / ERRORS).read_bytes(), str(state["importing"])
