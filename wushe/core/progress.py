"""Long work started from a page, with a progress bar: imports, report generation, exports.

A job is a directory under DATA_DIR/jobs/<id>/ holding ``state.json`` and whatever files the
work produces. The work itself is the task ``core.tasks.run_job``, run by ``wushe worker``
(never a thread of a web process): the page enqueues it, any worker on any server takes it,
and a restart of the web servers changes nothing. The page polls the state file (htmx, every
second) rather than the database: an import holds the database's write transaction from its
first batch to its last, and its progress must be readable meanwhile.

What a job does is named by its kind: an app registers ``register(kind, work, on_end)`` and
the worker calls ``work(job, actor)`` with the account that started it. A job belongs to that
user: anyone else asking for it gets NotFound, exactly as for a job that does not exist.

A worker that dies mid-job (killed, its machine lost) leaves the job "running": the job
records which worker took it, each worker keeps a heartbeat file fresh (``wushe worker``
does, from its supervising process), and a running job whose worker's heartbeat is older than
``WUSHE_WORKER_DEAD_SECONDS`` is reported as interrupted, with nothing written (each kind of
work commits once at its end) and a way to run it again. Finished jobs' directories are
deleted after a week (periodic job ``core.jobs_prune``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from wushe.core.errors import NotFound, ValidationFailed, WusheError
from wushe.core.jobs import JobResult, periodic

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=10)
_ID_CHARS = "abcdefghijkmnpqrstuvwxyz23456789"
_ID_LENGTH = 20


def jobs_dir() -> Path:
    path = Path(settings.DATA_DIR) / "jobs"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
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
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(self.state, ensure_ascii=False))
        os.replace(tmp, path)  # readers never see half a file


Work = Callable[[Job, Any], dict[str, Any] | None]
OnEnd = Callable[[Job], None]
CanRetry = Callable[[Job], bool]
# kind → (work, on_end, can_retry): what the worker does for a job of that kind, registered by
# its app.
KINDS: dict[str, tuple[Work, OnEnd | None, CanRetry | None]] = {}


def register(kind: str, work: Work, on_end: OnEnd | None = None,
             can_retry: CanRetry | None = None) -> None:
    """``work(job, actor)`` does a job of ``kind`` in the worker; what it returns is merged into
    the final "done" state (it may name its own end state, e.g. an import waiting for its
    columns). ``on_end(job)`` runs after it, whatever the outcome. ``can_retry(job)`` says
    whether an interrupted job still has what it needs to run again (default: yes)."""
    KINDS[kind] = (work, on_end, can_retry)


def job_create(*, actor: Actor, kind: str, **fields: Any) -> Job:
    """A new job of ``kind`` owned by ``actor``, "running" at 0 % in phase "queued" (waiting
    for a worker); ``job_enqueue`` hands it to one."""
    job_id = "".join(secrets.choice(_ID_CHARS) for _ in range(_ID_LENGTH))
    job = Job(job_id, {"id": job_id, "kind": kind, "user": actor.pk, "status": "running",
                       "phase": "queued", "percent": 0, "error": None, "worker": "",
                       "attempts": 0, "started": time.time(), **fields})
    job.dir.mkdir(parents=True, mode=0o700)
    job.save()
    return job


def job_enqueue(job: Job) -> None:
    """Queue the job for a worker. A queue that cannot be reached ends the job as failed
    (the page says so) instead of leaving it waiting for ever."""
    from wushe.core.tasks import run_job

    job.save(status="running", phase="queued", percent=0, error=None, worker="")
    try:
        run_job.enqueue(job.id)
    except Exception:  # noqa: BLE001  (the queue's own error; the user gets ours)
        log.exception("could not enqueue job %s", job.id)
        job.save(status="failed", phase="done", error={
            "zh": "任务无法排队,请稍后重试或联系管理员",
            "en": "The job could not be queued; try again later or ask the administrator"})


def job_execute(job_id: str) -> None:
    """The worker's side (task ``run_job``): do the job as the account that started it. Any
    error ends the job as "failed" with a bilingual message, so the page says so rather than
    spinning for ever; a job that has already ended (run twice by a queue) is left alone."""
    from django.contrib.auth import get_user_model

    User = get_user_model()  # the accounts app's, through Django's registry
    try:
        job = Job(job_id, json.loads((job_dir(job_id) / "state.json").read_text("utf-8")))
    except (OSError, ValueError, NotFound):
        log.warning("job %s has no state; nothing to do", job_id)
        return
    if job.state.get("status") != "running" or job.state.get("kind") not in KINDS:
        return
    work, on_end, _ = KINDS[job.state["kind"]]
    job.save(phase="start", worker=worker_id(), attempts=int(job.state.get("attempts", 0)) + 1)
    try:
        actor = User.objects.filter(pk=job.state["user"], is_active=True).first()
        if actor is None:
            raise ValidationFailed("发起任务的账号已停用", "The account that started the job is disabled")
        final = work(job, actor) or {}
        job.state.update({"status": "done", "phase": "done", "percent": 100, **final})
    except WusheError as exc:
        job.state.update(status="failed", phase="done", error=exc.message)
    except Exception as exc:  # noqa: BLE001  (reported on the page, not lost in a log)
        log.exception("job %s (%s) failed", job_id, job.state.get("kind"))
        job.state.update(status="failed", phase="done", error={
            "zh": f"任务失败:{type(exc).__name__}", "en": f"The job failed: {type(exc).__name__}"})
    finally:
        if on_end is not None:
            on_end(job)
        job.save()


# --- workers' heartbeats ---------------------------------------------------------------------
# ``wushe worker`` names each worker process and touches DATA_DIR/workers/<name> every few
# seconds from its supervising process; the data directory is what web servers and workers
# share (the jobs' files live there too).
WORKER_ENV = "WUSHE_WORKER_ID"


def worker_id() -> str:
    """This process's worker name; empty where tasks run inline (tests, ``wushe tick``)."""
    return os.environ.get(WORKER_ENV, "")


def heartbeats_dir() -> Path:
    path = Path(settings.DATA_DIR) / "workers"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def heartbeat(name: str) -> None:
    (heartbeats_dir() / name).touch(mode=0o600)


def heartbeat_end(name: str) -> None:
    (heartbeats_dir() / name).unlink(missing_ok=True)


def heartbeats_prune() -> int:
    """Forget the heartbeat files of dead workers (a killed supervisor cannot remove its own);
    a missing file reads as dead, so nothing changes but the listing."""
    now, dead, removed = time.time(), _dead_after(), 0
    for path in heartbeats_dir().iterdir():
        if now - path.stat().st_mtime >= dead:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def _dead_after() -> float:
    return float(settings.WUSHE_WORKER_DEAD_SECONDS)


def worker_alive(name: str) -> bool:
    if not name.replace("-", "").isalnum():
        return False
    try:
        return time.time() - (heartbeats_dir() / name).stat().st_mtime < _dead_after()
    except OSError:
        return False


def workers_alive() -> int:
    """How many workers have a fresh heartbeat (the page warns when none does)."""
    now, dead = time.time(), _dead_after()
    return sum(1 for p in heartbeats_dir().iterdir() if now - p.stat().st_mtime < dead)


def interrupted_error() -> dict[str, str]:
    return {"zh": "任务进程已中断,数据库未写入任何数据,可重新运行",
            "en": "The job was interrupted; nothing was written. You can run it again."}


def _check_alive(job: Job) -> None:
    """A running job whose worker is dead (or, taken by no known worker, silent for
    STALE_AFTER) ends as failed, recorded so that it can be run again."""
    state = job.state
    if state["status"] != "running" or state.get("phase") == "queued":
        return
    worker = str(state.get("worker") or "")
    silent = time.time() - float(state["updated"]) > STALE_AFTER.total_seconds()
    if (worker and not worker_alive(worker) and
            time.time() - float(state["updated"]) > _dead_after()) or (not worker and silent):
        job.save(status="failed", phase="done", error=interrupted_error(), interrupted=True)


def job_state(*, actor: Actor, job_id: str, kind: str | None = None) -> dict[str, Any]:
    """The job's state, for the user who started it only (and of ``kind`` when given)."""
    try:
        state: dict[str, Any] = json.loads(
            (job_dir(job_id) / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise NotFound() from exc
    if state.get("user") != getattr(actor, "pk", None) or (kind and state.get("kind") != kind):
        raise NotFound()
    job = Job(job_id, state)
    _check_alive(job)
    if state["status"] == "running" and state.get("phase") == "queued":
        state["no_worker"] = workers_alive() == 0
    state["retryable"] = retryable(job)
    return state


def retryable(job: Job) -> bool:
    """An interrupted job whose kind can still run it again (an import needs its upload,
    which ``core.jobs_prune`` keeps for RETRY_FOR)."""
    can_retry = KINDS.get(str(job.state.get("kind")), (None, None, None))[2]
    return (job.state.get("status") == "failed" and bool(job.state.get("interrupted"))
            and (can_retry is None or can_retry(job)))


def job_retry(*, actor: Actor, job_id: str, kind: str | None = None) -> None:
    """Run an interrupted job again, from what it kept (an import's upload)."""
    state = job_state(actor=actor, job_id=job_id, kind=kind)
    job = Job(job_id, state)
    if not retryable(job):
        raise ValidationFailed("该任务不能重新运行,请重新开始", "This job cannot be run again; start a new one",
                               code="job_not_retryable")
    job.state.pop("interrupted", None)
    job.state.pop("no_worker", None)
    job_enqueue(job)


KEEP_FOR = dt.timedelta(days=7)
UPLOAD_PREFIX = "source"  # a job's copy of an uploaded file: personal data, kept briefly
# An interrupted job keeps its upload this long, for the user to run it again.
RETRY_FOR = dt.timedelta(hours=1)


def _keeps_upload(state: dict[str, Any], age: float) -> bool:
    """Whether a job still needs its upload: running or queued; an import waiting for the
    user to map its columns, until it is stale; an interrupted one, for RETRY_FOR."""
    if state.get("status") == "running":
        return True
    if state.get("status") == "mapping":
        return age <= STALE_AFTER.total_seconds()
    return bool(state.get("interrupted")) and age <= RETRY_FOR.total_seconds()


@periodic("core.jobs_prune", every=dt.timedelta(minutes=15))
def jobs_prune() -> JobResult:
    """Delete finished jobs' directories (error reports, generated documents) after
    ``KEEP_FOR``, and the uploads of jobs that no longer need them; a job whose worker died is
    marked interrupted first. A queued or running job is left alone. Idempotent."""
    now = time.time()
    removed = uploads = 0
    for path in jobs_dir().iterdir():
        if not path.is_dir():
            continue
        try:
            job = Job(path.name, json.loads((path / "state.json").read_text(encoding="utf-8")))
            _check_alive(job)
            state = job.state
        except (OSError, ValueError, NotFound):
            state = {"status": "failed", "updated": path.stat().st_mtime}
        age = now - float(state.get("updated", 0))
        if age > KEEP_FOR.total_seconds() and state.get("status") != "running":
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
        elif not _keeps_upload(state, age):
            for upload in path.glob(f"{UPLOAD_PREFIX}*"):
                upload.unlink(missing_ok=True)
                uploads += 1
    return {"removed": removed, "uploads_removed": uploads}
