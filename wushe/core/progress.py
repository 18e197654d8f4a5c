"""Long work started from a page, with a progress bar: imports and report generation.

A job is a directory under DATA_DIR/jobs/<id>/ holding ``state.json`` and whatever files the
work produces. The page polls the state (htmx, every second) rather than the database: an
import holds the database's write transaction from its first batch to its last, and its
progress must be readable meanwhile, from any server process. The work runs in a daemon
thread with its own database connection; ``SPAWN`` is swapped in tests to run it inline.

Finished jobs' directories are deleted after a week (periodic job ``core.jobs_prune``).
A job belongs to the user who started it: anyone else asking for it gets NotFound, exactly
as for a job that does not exist. A running job whose state has not moved for
``STALE_AFTER`` is reported as interrupted (its process died; nothing it did was committed,
since each kind of work commits once at its end).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import shutil
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection

from wushe.core.errors import NotFound, WusheError
from wushe.core.jobs import JobResult, periodic

STALE_AFTER = dt.timedelta(minutes=10)
_ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789"
_ID_LENGTH = 20


def jobs_dir() -> Path:
    path = Path(settings.DATA_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def job_dir(job_id: str) -> Path:
    if not job_id.isalnum() or len(job_id) != _ID_LENGTH:
        raise NotFound()
    return jobs_dir() / job_id


class Job:
    """The worker's handle: its directory and its state, which ``save`` publishes."""

    def __init__(self, job_id: str, state: dict[str, Any]) -> None:
        self.id = job_id
        self.dir = job_dir(job_id)
        self.state = state

    def save(self, **changes: Any) -> None:
        self.state.update(changes)
        self.state["updated"] = time.time()
        path = self.dir / "state.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(self.state, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, path)  # readers never see half a file


def job_create(*, actor: Any, kind: str, **fields: Any) -> Job:
    """A new job of ``kind`` owned by ``actor``, state "running" at 0 %."""
    job_id = "".join(secrets.choice(_ID_CHARS) for _ in range(_ID_LENGTH))
    job = Job(job_id, {"id": job_id, "kind": kind, "user": actor.pk, "status": "running",
                       "phase": "start", "percent": 0, "error": None,
                       "started": time.time(), **fields})
    job.dir.mkdir(parents=True)
    job.save()
    return job


def _in_thread(work: Callable[[], None]) -> None:
    """Run ``work`` in a daemon thread with its own database connection."""

    def main() -> None:
        close_old_connections()
        try:
            work()
        finally:
            connection.close()  # this thread's own connection

    threading.Thread(target=main, name="wushe-job", daemon=True).start()


# How a job runs; tests swap in ``lambda work: work()`` to run it inline.
SPAWN: Callable[[Callable[[], None]], None] = _in_thread


def job_run(job: Job, work: Callable[[Job], dict[str, Any] | None],
            on_end: Callable[[Job], None] | None = None) -> None:
    """Start ``work(job)``; what it returns is merged into the final "done" state. Any error
    ends the job as "failed" with a bilingual message, so the page says so rather than
    spinning forever."""

    def run() -> None:
        try:
            final = work(job) or {}
            # ``final`` may name its own end state (an import waiting for its columns).
            job.state.update({"status": "done", "phase": "done", "percent": 100, **final})
        except WusheError as exc:
            job.state.update(status="failed", phase="done", error=exc.message)
        except Exception as exc:  # noqa: BLE001  (reported on the page, not lost in a thread)
            job.state.update(status="failed", phase="done", error={
                "zh": f"任务失败:{type(exc).__name__}", "en": f"The job failed: {exc}"})
        finally:
            if on_end is not None:
                on_end(job)
            job.save()

    SPAWN(run)


def job_state(*, actor: Any, job_id: str, kind: str | None = None) -> dict[str, Any]:
    """The job's state, for the user who started it only (and of ``kind`` when given)."""
    try:
        state: dict[str, Any] = json.loads(
            (job_dir(job_id) / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotFound() from exc
    if state.get("user") != getattr(actor, "pk", None) or (kind and state.get("kind") != kind):
        raise NotFound()
    if state["status"] == "running" and \
            time.time() - state["updated"] > STALE_AFTER.total_seconds():
        state.update(status="failed", error={
            "zh": "任务进程已中断,数据库未写入任何数据,请重新开始",
            "en": "The job was interrupted; nothing was written. Please start it again."})
    return state


KEEP_FOR = dt.timedelta(days=7)
UPLOAD_PREFIX = "source"  # a job's copy of an uploaded file: personal data, kept briefly
# States in which a job still needs its upload: running, or an import waiting for the user to
# map its columns (kept until the job is stale, like a dead one).
WAITING = ("running", "mapping")


@periodic("core.jobs_prune")
def jobs_prune() -> JobResult:
    """Delete finished jobs' directories (error reports, generated documents) after
    ``KEEP_FOR``, and at once the uploads left behind by a job that died (stale); a running
    job is left alone. Idempotent."""
    now = time.time()
    removed = uploads = 0
    for path in jobs_dir().iterdir():
        if not path.is_dir():
            continue
        try:
            state = json.loads((path / "state.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            state = {"status": "failed", "updated": path.stat().st_mtime}
        age = now - float(state.get("updated", 0))
        if age > KEEP_FOR.total_seconds():
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
        elif age > STALE_AFTER.total_seconds() or state.get("status") not in WAITING:
            for upload in path.glob(f"{UPLOAD_PREFIX}*"):
                upload.unlink(missing_ok=True)
                uploads += 1
    return {"removed": removed, "uploads_removed": uploads}
