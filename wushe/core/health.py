"""Readiness (``/readyz``): can this server do its work right now? (issue #18)

``/healthz`` (wushe/web/views.py) is liveness: the process answers, nothing else is touched, so
a slow database never gets a live server restarted. ``/readyz`` checks, each on its own:

- ``database``: ``SELECT 1`` on the main database;
- ``cache``: a key set and read back in the shared cache (rate limits and lockouts live there);
- ``tasks``: the task backend answers (a query on django-tasks-db's table, or a Redis ping);
- ``worker``: the age of the freshest worker heartbeat (DATA_DIR/workers, core/progress.py),
  stale after WUSHE_WORKER_DEAD_SECONDS;
- ``scheduler``: the periodic jobs (core/jobs.py) are being claimed: no free job is overdue by
  more than WUSHE_READY_SCHEDULER_LATE_SECONDS (and the age of the last run is shown);
- ``disk``: free space of the data directory, at least WUSHE_READY_MIN_FREE_MB and
  WUSHE_READY_MIN_FREE_PERCENT.

The answer is 200 when every check passes, else 503. It carries only ages, sizes and booleans:
no personal data, no host names, no error text (an exception's class name at most).
"""

from __future__ import annotations

import secrets
import shutil
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

Check = dict[str, Any]


def check_database() -> Check:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        row = cursor.fetchone()
    return {"ok": bool(row and row[0] == 1)}


def check_cache() -> Check:
    from django.core.cache import cache

    key, value = f"wushe:readyz:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, timeout=30)
    ok = cache.get(key) == value
    cache.delete(key)
    return {"ok": ok}


def check_tasks() -> Check:
    backend = str(settings.TASKS["default"]["BACKEND"])
    if backend.startswith("django_tasks_rq"):
        import django_rq

        return {"ok": bool(django_rq.get_connection("default").ping()), "backend": "rq"}
    if backend.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        DBTaskResult.objects.ready().exists()  # the queue's table answers
        return {"ok": True, "backend": "database"}
    return {"ok": True, "backend": "other"}  # an in-process backend (tests: immediate)


def check_worker() -> Check:
    from wushe.core.progress import heartbeats_dir

    limit = settings.WUSHE_WORKER_DEAD_SECONDS
    mtimes = [p.stat().st_mtime for p in heartbeats_dir().iterdir() if p.is_file()]
    if not mtimes:
        return {"ok": False, "age_seconds": None, "limit_seconds": limit}
    age = max(0.0, time.time() - max(mtimes))
    return {"ok": age < limit, "age_seconds": round(age, 1), "limit_seconds": limit}


def check_scheduler() -> Check:
    from django.db.models import Max, Min, Q

    from wushe.core.models import PeriodicJob

    now = timezone.now()
    limit = settings.WUSHE_READY_SCHEDULER_LATE_SECONDS
    rows = PeriodicJob.objects.aggregate(
        last=Max("last_started_at"),
        # the oldest due time of a job nobody holds (a running job is not late)
        due=Min("next_due", filter=Q(lease_until__isnull=True) | Q(lease_until__lt=now)),
        jobs=Max("name"))
    if rows["jobs"] is None:  # the scheduler never started (it creates the rows)
        return {"ok": False, "last_run_age_seconds": None, "late_seconds": None,
                "limit_seconds": limit}
    late = max(0.0, (now - rows["due"]).total_seconds()) if rows["due"] else 0.0
    last = (now - rows["last"]).total_seconds() if rows["last"] else None
    return {"ok": late <= limit, "last_run_age_seconds": None if last is None else round(last, 1),
            "late_seconds": round(late, 1), "limit_seconds": limit}


def check_disk() -> Check:
    usage = shutil.disk_usage(settings.DATA_DIR)
    free_mb = usage.free // (1024 * 1024)
    percent = 100.0 * usage.free / usage.total if usage.total else 0.0
    ok = (free_mb >= settings.WUSHE_READY_MIN_FREE_MB
          and percent >= settings.WUSHE_READY_MIN_FREE_PERCENT)
    return {"ok": ok, "free_mb": free_mb, "free_percent": round(percent, 1)}


CHECKS: dict[str, Callable[[], Check]] = {
    "database": check_database, "cache": check_cache, "tasks": check_tasks,
    "worker": check_worker, "scheduler": check_scheduler, "disk": check_disk,
}


def readiness() -> tuple[bool, dict[str, Check]]:
    results: dict[str, Check] = {}
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = check()
        except Exception as exc:  # noqa: BLE001 — a failing dependency is an answer, not a 500
            result = {"ok": False, "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    return all(r["ok"] for r in results.values()), results


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    ok, checks = readiness()
    return JsonResponse({"ok": ok, "checks": checks}, status=200 if ok else 503)
