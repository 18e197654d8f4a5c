"""Periodic jobs (SLA reminders, escalation, rollups …), their schedule and their lease.

Apps register a job with ``@periodic("name", every=timedelta(...))`` from ``AppConfig.ready``;
``WUSHE_PERIODIC_EVERY`` overrides ``every`` per job. Each job has a row in ``PeriodicJob``: when it
is next due, and who holds its lease. A job runs only under its lease, taken with one
conditional UPDATE (due, and no live lease), so two schedulers, or a scheduler and ``wushe tick``,
never run the same job at the same time, on SQLite and PostgreSQL alike.

- ``wushe scheduler`` (a systemd service) claims each due job every few seconds and enqueues the
  task ``run_periodic(name, token)``; the worker runs it through ``run_leased``.
- ``wushe tick`` (cron) claims every due job and runs it inline (``run_due``); ``--all`` runs
  every job whatever its due time (still under its lease).

The end of a run, success or failure, records it and releases the lease (next due = now +
every). A job's failure is recorded and does not stop the others. Each job must be idempotent:
running it twice in a row changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import secrets
import socket
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.checks import register
from django.db.models import F, Q
from django.utils import timezone

log = logging.getLogger(__name__)

JobResult = dict[str, Any]
JOBS: dict[str, Callable[[], JobResult]] = {}
EVERY: dict[str, dt.timedelta] = {}  # as declared by each job; see every()
DEFAULT_EVERY = dt.timedelta(minutes=5)  # what `wushe demo` ran every job at before schedules


def periodic(name: str, *, every: dt.timedelta = DEFAULT_EVERY
             ) -> Callable[[Callable[[], JobResult]], Callable[[], JobResult]]:
    def deco(fn: Callable[[], JobResult]) -> Callable[[], JobResult]:
        JOBS[name] = fn
        EVERY[name] = every
        return fn

    return deco


def every(name: str) -> dt.timedelta:
    """How often the job is due: WUSHE_PERIODIC_EVERY's seconds, else what the job declares."""
    override = settings.WUSHE_PERIODIC_EVERY.get(name)
    if override:
        return dt.timedelta(seconds=override)
    return EVERY.get(name, DEFAULT_EVERY)


def lease_length() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WUSHE_PERIODIC_LEASE_SECONDS)


def default_owner() -> str:
    """Who holds a lease: this host and process (shown by ``wushe scheduler --status``)."""
    return f"{socket.gethostname()}:{os.getpid()}"


@register()
def check_periodic_every(**kwargs: Any) -> list[Any]:
    """System check: WUSHE_PERIODIC_EVERY names registered jobs, with a positive number of
    seconds each (a typo would otherwise leave the job on its default, silently)."""
    from django.core.checks import Error

    errors = []
    for name, seconds in sorted(settings.WUSHE_PERIODIC_EVERY.items()):
        if name not in JOBS:
            errors.append(Error(
                f"WUSHE_PERIODIC_EVERY: 未知的定时任务 / unknown periodic job {name!r}",
                hint="known jobs: " + ", ".join(sorted(JOBS)), id="wushe.E017"))
        elif not isinstance(seconds, int) or seconds <= 0:
            errors.append(Error(
                f"WUSHE_PERIODIC_EVERY: {name} 的间隔须为正整数秒 / "
                f"the interval of {name} must be a positive whole number of seconds",
                id="wushe.E017"))
    return errors


# --- the schedule and the lease ----------------------------------------------------------------

def sync_jobs(now: dt.datetime | None = None) -> None:
    """Give every registered job its row; a new job is due at once."""
    from wushe.core.models import PeriodicJob

    now = now or timezone.now()
    known = set(PeriodicJob.objects.values_list("name", flat=True))
    missing = [PeriodicJob(name=name, next_due=now) for name in sorted(set(JOBS) - known)]
    if missing:
        PeriodicJob.objects.bulk_create(missing, ignore_conflicts=True)  # a racing scheduler


def claim(name: str, owner: str, *, force: bool = False,
          now: dt.datetime | None = None) -> str | None:
    """Take the job's lease, if it is due (or ``force``) and nobody holds a live lease: one
    conditional UPDATE, atomic on every database. Returns the lease's token, or None."""
    from wushe.core.models import PeriodicJob

    now = now or timezone.now()
    token = secrets.token_hex(16)
    free = PeriodicJob.objects.filter(name=name).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    if not force:
        free = free.filter(next_due__lte=now)
    taken = free.update(lease_owner=owner[:200], lease_token=token, lease_until=now + lease_length())
    return token if taken else None


def due_names(now: dt.datetime | None = None) -> list[str]:
    """The registered jobs that are due and not leased (a hint: claim() decides)."""
    from wushe.core.models import PeriodicJob

    now = now or timezone.now()
    return sorted(set(JOBS) & set(
        PeriodicJob.objects.filter(next_due__lte=now)
        .filter(Q(lease_until__isnull=True) | Q(lease_until__lt=now))
        .values_list("name", flat=True)))


def release(name: str, lease: str) -> bool:
    """Give back a lease whose job did not run (its task could not be enqueued): the job stays
    due and the next round claims it again."""
    from wushe.core.models import PeriodicJob

    return bool(PeriodicJob.objects.filter(name=name, lease_token=lease).update(
        lease_owner="", lease_token="", lease_until=None))


def run_leased(name: str, lease: str) -> JobResult:
    """Run the job if ``lease`` is still its live lease, record the run and release the lease
    (next due = now + every), success or failure. A stale lease (expired and taken over, or
    already released) runs nothing."""
    from wushe.core.models import PeriodicJob

    fn = JOBS.get(name)
    if fn is None:
        return {"ran": False, "reason": "unknown job"}
    started_at = timezone.now()
    # Start under the lease: the same UPDATE checks it is still ours and live, and renews it
    # from now (the task may have waited in the queue).
    if not PeriodicJob.objects.filter(name=name, lease_token=lease,
                                      lease_until__gte=started_at).update(
            last_started_at=started_at, lease_until=started_at + lease_length()):
        log.warning("periodic job %s: stale lease, not run", name)
        return {"ran": False, "reason": "stale lease"}
    started = time.perf_counter()
    error = ""
    try:
        result = dict(fn() or {})
    except Exception as exc:  # a job's bug must not stop the other jobs
        log.exception("periodic job %s failed", name)
        # The exception's class only: its text may quote data (no personal data in the record).
        error = f"定时任务失败 / the periodic job failed: {type(exc).__name__}"
        result = {}
    seconds = round(time.perf_counter() - started, 3)
    finished_at = timezone.now()
    PeriodicJob.objects.filter(name=name, lease_token=lease).update(
        runs=F("runs") + 1, last_finished_at=finished_at, last_seconds=seconds,
        last_error=error, last_result=result, next_due=finished_at + every(name),
        lease_owner="", lease_token="", lease_until=None)
    return {"ran": True, "result": result, "error": error, "seconds": seconds}


def _as_tick_result(outcome: JobResult) -> JobResult:
    """The shape ``wushe tick`` and ``run_all`` have always printed: the job's own result, plus
    ``seconds``, and ``error`` when it failed."""
    if not outcome["ran"]:
        return {"skipped": outcome["reason"]}
    result = dict(outcome["result"])
    result["seconds"] = outcome["seconds"]
    if outcome["error"]:
        result["error"] = outcome["error"]
    return result


def run_due(owner: str | None = None, *, only: list[str] | None = None,
            force: bool = False) -> dict[str, JobResult]:
    """Claim every due job (every job with ``force``) and run it inline, one after the other:
    what ``wushe tick`` does. A job whose lease another holds is reported as busy; one not due
    is left out."""
    from wushe.core.models import PeriodicJob

    owner = owner or default_owner()
    sync_jobs()
    results: dict[str, JobResult] = {}
    for name in sorted(JOBS):
        if only and name not in only:
            continue
        token = claim(name, owner, force=force)
        if token is None:
            if force or PeriodicJob.objects.filter(name=name,
                                                   next_due__lte=timezone.now()).exists():
                results[name] = {"skipped": "busy"}
            continue
        results[name] = _as_tick_result(run_leased(name, token))
    return results


def run_all(only: list[str] | None = None) -> dict[str, JobResult]:
    """Run each job once whatever its due time (still under its lease); one failing job is
    reported, the others still run."""
    return run_due(only=only, force=True)


def status() -> list[dict[str, Any]]:
    """Each job's schedule and last run, for operators (``wushe scheduler --status``)."""
    from wushe.core.models import PeriodicJob

    sync_jobs()
    rows = {row.name: row for row in PeriodicJob.objects.all()}

    def iso(value: dt.datetime | None) -> str | None:
        return value.isoformat() if value else None

    out = []
    for name in sorted(JOBS):
        row = rows.get(name)
        if row is None:
            continue
        out.append({
            "name": name, "every_seconds": int(every(name).total_seconds()),
            "next_due": iso(row.next_due), "leased_by": row.lease_owner or None,
            "lease_until": iso(row.lease_until), "runs": row.runs,
            "last_started_at": iso(row.last_started_at),
            "last_finished_at": iso(row.last_finished_at), "last_seconds": row.last_seconds,
            "last_error": row.last_error, "last_result": row.last_result,
        })
    return out
