"""Periodic jobs (SLA reminders, escalation, disclosure reports …) and how they run.

Apps register a job with ``@periodic("name")`` from ``AppConfig.ready``. ``wushe tick`` runs
every job once (cron or a systemd timer calls it in production); ``wushe tick --loop N`` runs
them every N seconds, which is what ``wushe demo`` does beside the web server. Each job must be
idempotent: running it twice in a row changes nothing the second time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

JobResult = dict[str, Any]
JOBS: dict[str, Callable[[], JobResult]] = {}


def periodic(name: str) -> Callable[[Callable[[], JobResult]], Callable[[], JobResult]]:
    def deco(fn: Callable[[], JobResult]) -> Callable[[], JobResult]:
        JOBS[name] = fn
        return fn

    return deco


def run_all(only: list[str] | None = None) -> dict[str, JobResult]:
    """Run each job once; one failing job is logged and reported, the others still run."""
    results: dict[str, JobResult] = {}
    for name, fn in sorted(JOBS.items()):
        if only and name not in only:
            continue
        started = time.perf_counter()
        try:
            result = dict(fn() or {})
        except Exception as exc:  # a job's bug must not stop the other jobs
            log.exception("periodic job %s failed", name)
            result = {"error": f"{type(exc).__name__}: {exc}"}
        result["seconds"] = round(time.perf_counter() - started, 3)
        results[name] = result
    return results
