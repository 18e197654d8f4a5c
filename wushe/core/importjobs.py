"""Spreadsheet imports started from a page: the upload is saved into a job (core/progress.py)
and the shared pipeline (core/excel.run_import) runs in a worker (``wushe worker``), reporting the rows it
has checked (and written) to the progress bar. When a required column is not recognised the job
waits in state "mapping", its upload kept, until the user maps the columns by hand. Every importer's page uses this; the pipeline's guarantees
(all-or-nothing by default, one transaction) are unchanged, so a job that dies has written
nothing.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from wushe.core import progress
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.excel import IMPORTERS, MAX_IMPORT_BYTES, errors_bytes, run_import
from wushe.core.headers import MissingColumns
from wushe.core.sheets import check_archive, not_a_spreadsheet, row_estimate, sniff

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

JOB_KIND = "import"
SOURCE = f"{progress.UPLOAD_PREFIX}.sheet"
ERRORS = "errors.xlsx"
ERRORS_SHOWN = 200
_SAVE_EVERY = 0.5  # seconds between state writes: the page polls once a second


def _too_large() -> ValidationFailed:
    return ValidationFailed("文件过大(上限64MB)", "The file is too large (64 MB at most)",
                            field="file", code="too_large")


def _readable(path: Path) -> None:
    """Refuse, on the form, a file that is no spreadsheet we read, or a zip bomb (before any
    job runs, and before row_estimate decompresses the sheet to count its rows)."""
    with path.open("rb") as fh:
        kind = sniff(fh.read(64 * 1024))
        if not kind:
            raise not_a_spreadsheet(field="file")
        fh.seek(0)
        if kind in ("xlsx", "ods"):
            check_archive(fh)


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


def job_start(*, actor: Actor, kind: str, upload: IO[bytes], dry_run: bool, valid_only: bool,
              back: str = "", mapping: dict[str, str] | None = None) -> str:
    """Check the actor may import ``kind``, save the upload, start the worker; the job id.

    ``back`` is the import page to return to (the job page links to it); ``mapping`` is the
    user's remembered choice of columns (field → header), tried before the synonyms."""
    if kind not in IMPORTERS:
        raise ValidationFailed(f"未知的导入类型 {kind}", f"Unknown import kind {kind}")
    IMPORTERS[kind](actor).check_permission()  # refuse before anything is saved
    if (getattr(upload, "size", None) or 0) > MAX_IMPORT_BYTES:
        raise _too_large()
    importer = IMPORTERS[kind]
    job = progress.job_create(actor=actor, kind=JOB_KIND, importing=kind, back=back,
                              title={"zh": importer.title_zh, "en": importer.title_en},
                              dry_run=dry_run, valid_only=valid_only, total=0, done=0,
                              result=None, mapping=mapping or {})
    source = job.dir / SOURCE
    try:
        _save_upload(upload, source)
        _readable(source)
    except ValidationFailed:
        shutil.rmtree(job.dir, ignore_errors=True)
        raise
    _run(job, total=row_estimate(str(source)))
    return job.id


def _run(job: progress.Job, *, total: int) -> None:
    """Queue the job's import for a worker."""
    job.save(phase="queued", total=total, done=0, percent=0)
    progress.job_enqueue(job)


def _work(job: progress.Job, actor: Actor) -> dict[str, Any]:
    """The import, in the worker. Required columns that are not recognised end the job in
    state "mapping" (the upload is kept) for the user to map them by hand."""
    kind, source = str(job.state["importing"]), job.dir / SOURCE
    dry_run, valid_only = bool(job.state["dry_run"]), bool(job.state["valid_only"])
    total = int(job.state.get("total") or 0)
    job.save(phase="checking" if dry_run else "writing", done=0, percent=0)
    last = [0.0]

    def report(n: int) -> None:
        now = time.monotonic()
        if now - last[0] < _SAVE_EVERY:
            return
        last[0] = now
        job.save(done=n, percent=min(99, int(n * 100 / total)) if total else 0)

    try:
        with source.open("rb") as fh:
            result = run_import(kind, fh, actor=actor, dry_run=dry_run,
                                valid_only=valid_only, progress=report,
                                mapping=job.state["mapping"])
    except MissingColumns as exc:
        return {"status": "mapping", "phase": "mapping", "percent": 0,
                "error": exc.message, "headers": exc.header.choices(),
                "header_row": exc.header.row,
                "recognised": exc.header.chosen(),
                "missing": [c.key for c in exc.header.missing]}
    except FileNotFoundError:
        raise ValidationFailed("上传的文件已不在,请重新上传", "The uploaded file is gone; upload it again",
                               code="upload_gone") from None
    if result.errors:
        (job.dir / ERRORS).write_bytes(errors_bytes(result))
    summary = result.as_dict()
    for key in ("errors", "notices"):
        summary[key] = summary[key][:ERRORS_SHOWN]  # type: ignore[index]
    return {"result": summary, "has_errors_file": bool(result.errors), "error": None}


def _end(job: progress.Job) -> None:
    """The upload holds personal data in clear: gone as soon as the job no longer needs it."""
    if job.state.get("status") != "mapping":
        (job.dir / SOURCE).unlink(missing_ok=True)


progress.register(JOB_KIND, _work, on_end=_end,
                  can_retry=lambda job: (job.dir / SOURCE).exists())


def job_map(*, actor: Actor, job_id: str, mapping: dict[str, str]) -> None:
    """Run a job that stopped for its columns again, with the user's ``mapping`` (field →
    normalised header text, as offered by the job's ``headers``)."""
    state = job_state(actor=actor, job_id=job_id)
    source = progress.job_dir(job_id) / SOURCE
    if state["status"] != "mapping" or not source.exists():
        raise ValidationFailed("该导入已不在等待对应列,请重新上传文件",
                               "This import no longer waits for its columns; upload the file again",
                               code="job_not_mapping")
    check_mapping(str(state["importing"]), mapping, [h for h, _label in state["headers"]])
    job = progress.Job(job_id, state)
    job.state["mapping"] = mapping
    _run(job, total=int(state.get("total") or 0))


def check_mapping(kind: str, mapping: dict[str, str], headers: list[str]) -> None:
    """A mapping names known fields, each to a header of the sheet, no header twice, and
    every required field."""
    columns = IMPORTERS[kind].columns
    known = {c.key for c in columns}
    used = [h for h in mapping.values() if h]
    if any(k not in known for k in mapping) or any(h not in headers for h in used):
        raise ValidationFailed("列对应无效", "The column mapping is not valid", code="bad_mapping")
    if len(set(used)) != len(used):
        raise ValidationFailed("同一列不能对应两个字段", "One column cannot go to two fields",
                               code="bad_mapping")
    missing = [c for c in columns if c.required and not mapping.get(c.key)]
    if missing:
        raise ValidationFailed("请为必需的字段选择列:" + "、".join(c.zh for c in missing),
                               "Choose a column for each required field: "
                               + ", ".join(c.en for c in missing), code="bad_mapping")


def job_state(*, actor: Actor, job_id: str) -> dict[str, Any]:
    """The import job's state, for the user who started it only."""
    return progress.job_state(actor=actor, job_id=job_id, kind=JOB_KIND)


def job_retry(*, actor: Actor, job_id: str) -> None:
    """Run an interrupted import again (its worker died), for the user who started it."""
    progress.job_retry(actor=actor, job_id=job_id, kind=JOB_KIND)


def errors_file(*, actor: Actor, job_id: str) -> tuple[bytes, str]:
    """The job's error report and the kind it imported, for the user who started it only."""
    state = job_state(actor=actor, job_id=job_id)
    if not state.get("has_errors_file"):
        raise NotFound()
    return (progress.job_dir(job_id) / ERRORS).read_bytes(), str(state["importing"])
