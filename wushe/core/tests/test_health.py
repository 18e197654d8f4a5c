"""/healthz (liveness) and /readyz (readiness): wushe/core/health.py."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from wushe.core import progress
from wushe.core.models import PeriodicJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(settings: Any, tmp_path: Path) -> Path:
    """A data directory of its own, a fresh worker heartbeat and a scheduler on time."""
    settings.DATA_DIR = tmp_path
    settings.WUSHE_READY_MIN_FREE_MB = 0
    settings.WUSHE_READY_MIN_FREE_PERCENT = 0
    progress.heartbeat("worker-1")
    PeriodicJob.objects.create(name="needs.sla", next_due=timezone.now() + dt.timedelta(minutes=1),
                               last_started_at=timezone.now() - dt.timedelta(seconds=20))
    return tmp_path / "workers" / "worker-1"


def _age(path: Path, seconds: float) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


def test_healthz_is_liveness_without_the_database(django_assert_num_queries: Any) -> None:
    with django_assert_num_queries(0):
        response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"ok": True}


def test_readyz_is_200_when_every_check_passes(ready: Path) -> None:
    response = Client().get("/readyz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["ok"] is True
    assert set(body["checks"]) == {"database", "cache", "tasks", "worker", "scheduler", "disk"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["worker"]["age_seconds"] < 5
    assert 15 <= body["checks"]["scheduler"]["last_run_age_seconds"] < 60
    assert response["Cache-Control"].startswith("max-age=0")


def test_readyz_is_503_when_the_worker_heartbeat_is_stale(ready: Path, settings: Any) -> None:
    _age(ready, settings.WUSHE_WORKER_DEAD_SECONDS + 5)
    response = Client().get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["worker"]["ok"] is False
    assert checks["worker"]["age_seconds"] >= settings.WUSHE_WORKER_DEAD_SECONDS
    assert all(c["ok"] for name, c in checks.items() if name != "worker")


def test_readyz_is_503_without_any_worker(ready: Path) -> None:
    ready.unlink()
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "ok": False, "age_seconds": None, "limit_seconds": 30,
        "ms": response.json()["checks"]["worker"]["ms"]}


def test_readyz_is_503_when_a_free_job_is_overdue(ready: Path, settings: Any) -> None:
    late = timezone.now() - dt.timedelta(seconds=settings.WUSHE_READY_SCHEDULER_LATE_SECONDS + 60)
    PeriodicJob.objects.create(name="reports.rollup", next_due=late)
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"]["ok"] is False
    # a job that is running (its lease is live) is not late
    PeriodicJob.objects.filter(name="reports.rollup").update(
        lease_until=timezone.now() + dt.timedelta(minutes=5))
    assert Client().get("/readyz").status_code == 200


def test_readyz_is_503_before_the_scheduler_ever_ran(ready: Path) -> None:
    PeriodicJob.objects.all().delete()
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["scheduler"]["ok"] is False


def test_readyz_is_503_when_the_disk_is_nearly_full(ready: Path, settings: Any) -> None:
    settings.WUSHE_READY_MIN_FREE_MB = 1024 ** 3  # a petabyte: no disk here has that free
    response = Client().get("/readyz")
    assert response.status_code == 503
    disk = response.json()["checks"]["disk"]
    assert disk["ok"] is False and disk["free_mb"] > 0


def test_readyz_reports_a_broken_dependency_without_its_error_text(ready: Path,
                                                                   settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens there
    response = Client().get("/readyz")
    assert response.status_code == 503
    tasks = response.json()["checks"]["tasks"]
    assert tasks["ok"] is False
    assert set(tasks) == {"ok", "error", "ms"} and "127.0.0.1" not in response.content.decode()
