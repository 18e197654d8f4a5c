"""``wushe worker``: the process that runs the background tasks, and its heartbeat.

The command is a small supervisor. It names a worker (host, pid, a random part), starts the
queue's own worker as a child process under that name (django-tasks-db's ``db_worker``, or
RQ's worker when ``WUSHE_TASKS_URL`` is set) and, while the child lives, touches the name's
heartbeat file every few seconds (core/progress.py). The supervisor does no work itself, so
the heartbeat never waits for a long import; a job whose worker's heartbeat stops is shown as
interrupted and can be run again.

When the child dies (killed, out of memory) the supervisor marks the tasks it held as failed
in the queue (django-tasks-db alone would leave them RUNNING for ever; RQ would fail them only
after its own heartbeat expired and a registry cleanup ran, minutes later), forgets the name
and starts a new child under a new one; at start it does the same for every dead worker's
tasks. On RQ the child forks a work horse per job, which also dies with its parent
(core/rqworker.py). SIGTERM or SIGINT stops the child gracefully (it finishes
its task) and then the supervisor. The child dies with the supervisor (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import ctypes
import logging
import os
import secrets
import signal
import socket
import subprocess  # noqa: S404 (the supervisor runs the queue's worker as a child)
import sys
import time
from pathlib import Path

from django.conf import settings
from django.db import close_old_connections
from django.utils import timezone

from wushe.core import progress

log = logging.getLogger("wushe.worker")

HEARTBEAT_SECONDS = 3.0
STOP_GRACE_SECONDS = 120  # a task in progress may finish before the worker stops


def new_name() -> str:
    host = "".join(c for c in socket.gethostname().split(".")[0] if c.isalnum())[:20] or "host"
    return f"{host}-{os.getpid()}-{secrets.token_hex(3)}"


def uses_rq() -> bool:
    return bool(getattr(settings, "WUSHE_TASKS_URL", ""))


def child_argv(name: str, interval: float) -> list[str]:
    """The queue's own worker, as a ``wushe`` command under ``name``."""
    wushe = Path(sys.executable).parent / "wushe"
    base = [str(wushe)] if wushe.exists() else [sys.executable, "-m", "wushe.cli"]
    if uses_rq():
        return [*base, "rqworker", "default", "--name", name, "--job-class",
                "django_tasks_rq.backend.Job", "--worker-class", "wushe.core.rqworker.Worker",
                "--with-scheduler"]
    return [*base, "db_worker", "--worker-id", name, "--interval", str(interval),
            "--no-startup-delay", "--no-reload", "--queue-name", "*"]


def _die_with_parent() -> None:
    """In the child, before exec: be killed when the supervisor dies (Linux)."""
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: the child then outlives a killed supervisor
        pass


def _held_by_dead(held: str, name: str | None) -> bool:
    return (name is not None and held == name) or \
        (name is None and not progress.worker_alive(held))


def _reap_rq(name: str | None) -> int:
    """RQ fails a dead worker's job itself, but only once the job's heartbeat in Redis has
    expired (90 s) and a worker next cleans its registries (every 10 min). Expire at once the
    entries of the started registry held by a dead worker, then let RQ's own cleanup fail them
    (failure callback, failed registry), as it would have done later."""
    from django.tasks import task_backends
    from django_tasks_rq.backend import Job
    from rq.exceptions import NoSuchJobError
    from rq.registry import StartedJobRegistry

    reaped = 0
    for queue in task_backends["default"]._get_queues():  # type: ignore[attr-defined]
        registry = StartedJobRegistry(queue=queue, job_class=Job)
        expired = {}
        for entry in queue.connection.zrange(registry.key, 0, -1):
            try:
                job = Job.fetch(registry.parse_job_id(entry), connection=queue.connection)
            except NoSuchJobError:
                continue
            if _held_by_dead(job.worker_name or "", name):
                expired[entry] = 0
        if expired:
            queue.connection.zadd(registry.key, expired, xx=True)
            registry.cleanup(timestamp=1)
            reaped += len(expired)
    return reaped


def reap(name: str | None = None) -> int:
    """Mark as failed the queue's RUNNING tasks held by ``name`` (or by any worker whose
    heartbeat is dead); returns how many. The database backend alone would leave them RUNNING
    for ever; RQ would fail them minutes later."""
    if uses_rq():
        return _reap_rq(name)
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    reaped = 0
    for row in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING):
        holders = [str(w) for w in row.worker_ids or []]
        held = holders[-1] if holders else ""
        if _held_by_dead(held, name):
            DBTaskResult.objects.filter(pk=row.pk, status=TaskResultStatus.RUNNING).update(
                status=TaskResultStatus.FAILED, finished_at=timezone.now(),
                exception_class_path="wushe.core.worker.WorkerDied",
                traceback=f"worker {held} died while running this task")
            reaped += 1
    return reaped


class Supervisor:
    def __init__(self, *, interval: float = 1.0, restart: bool = True) -> None:
        self.interval = interval
        self.restart = restart
        self.stopping = False
        self.child: subprocess.Popen[bytes] | None = None
        self.name = ""

    def _stop(self, signum: int, _frame: object) -> None:
        self.stopping = True
        if self.child is not None and self.child.poll() is None:
            self.child.send_signal(signal.SIGTERM)

    def _start_child(self) -> None:
        self.name = new_name()
        env = {**os.environ, progress.WORKER_ENV: self.name}
        self.child = subprocess.Popen(  # noqa: S603 (our own command, arguments as a list)
            child_argv(self.name, self.interval), env=env, preexec_fn=_die_with_parent)  # noqa: PLW1509
        progress.heartbeat(self.name)
        log.warning("worker %s started (pid %s)", self.name, self.child.pid)

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        reaped = reap()
        progress.heartbeats_prune()
        if reaped:
            log.warning("marked %s task(s) of dead workers as failed", reaped)
        backoff = 1.0
        self._start_child()
        last = time.monotonic()
        stop_deadline: float | None = None
        while True:
            assert self.child is not None
            code = self.child.poll()
            if code is None:
                if time.monotonic() - last >= HEARTBEAT_SECONDS:
                    progress.heartbeat(self.name)
                    last = time.monotonic()
                if self.stopping:
                    stop_deadline = stop_deadline or time.monotonic() + STOP_GRACE_SECONDS
                    if time.monotonic() > stop_deadline:
                        self.child.kill()
                time.sleep(0.2)
                continue
            progress.heartbeat_end(self.name)
            close_old_connections()
            if self.stopping:
                return 0
            reaped = reap(self.name)
            log.error("worker %s exited with %s; %s task(s) marked failed", self.name, code,
                      reaped)
            if not self.restart:
                return 1
            time.sleep(backoff)
            backoff = min(backoff * 2, 30.0)
            self._start_child()


