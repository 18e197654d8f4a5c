"""/metrics in the Prometheus text format, open only to WUSHE_METRICS_ALLOW: core/metrics.py."""

from __future__ import annotations

import datetime as dt
import json
import re
import socket
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from wushe.core import metrics
from wushe.core.models import PeriodicJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


def scrape(**extra: Any) -> str:
    response = Client().get("/metrics", **extra)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    return response.content.decode()


def value(text: str, series: str) -> float:
    """The value of one sample line (``name{labels}``), 0 when absent."""
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rsplit(" ", 1)[1])
    return 0.0


def test_latency_histogram_is_by_route_name_never_by_path(data_dir: Path) -> None:
    before = scrape()
    count = 'wushe_http_request_duration_seconds_count{route="needs:track"}'
    Client().get("/needs/track/Q7XK2M9P4T")
    Client().get("/needs/track/Z3WB8N5R2H")
    text = scrape()
    assert value(text, count) == value(before, count) + 2
    inf = 'wushe_http_request_duration_seconds_bucket{route="needs:track",le="+Inf"}'
    assert value(text, inf) == value(text, count)
    assert "Q7XK2M9P4T" not in text and "Z3WB8N5R2H" not in text and "/needs/" not in text
    assert "# TYPE wushe_http_request_duration_seconds histogram" in text
    # buckets are cumulative: never decreasing along le
    buckets = [float(m) for m in re.findall(
        r'wushe_http_request_duration_seconds_bucket\{route="needs:track",le="[^"]+"\} (\S+)',
        text)]
    assert buckets == sorted(buckets) and len(buckets) == len(metrics.BUCKETS) + 1


def test_requests_are_counted_by_status_class(data_dir: Path) -> None:
    series = 'wushe_http_requests_total{route="unmatched",status="4xx"}'
    before = value(scrape(), series)
    assert Client().get("/no/such/page/13912345678").status_code == 404
    text = scrape()
    assert value(text, series) == before + 1
    assert "13912345678" not in text


def test_other_processes_of_this_host_are_added_and_other_hosts_not(data_dir: Path) -> None:
    series = 'wushe_http_requests_total{route="web:healthz",status="2xx"}'
    before = value(scrape(), series)
    folder = data_dir / "metrics"
    other = {"latency": {}, "requests": [["web:healthz", "2xx", 40]]}
    (folder / f"{socket.gethostname()}-999999-1.json").write_text(json.dumps(other))
    (folder / "some-other-host-1-1.json").write_text(json.dumps(other))
    assert value(scrape(), series) == before + 40
    mine = [p for p in folder.iterdir() if "-999999-" not in p.name and "other" not in p.name]
    assert mine and all(p.stat().st_mode & 0o777 == 0o600 for p in mine)
    assert folder.stat().st_mode & 0o777 == 0o700


def test_task_queue_depth_failures_and_periodic_jobs(data_dir: Path, settings: Any) -> None:
    from django.tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    from wushe.core.tasks import run_job

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run_job.using(backend="default").enqueue(job_id="a")
    run_job.using(backend="default").enqueue(job_id="b")
    last = DBTaskResult.objects.order_by("pk").last()
    assert last is not None
    DBTaskResult.objects.filter(pk=last.pk).update(status=TaskResultStatus.FAILED)
    started = timezone.now() - dt.timedelta(minutes=3)
    PeriodicJob.objects.create(name="needs.sla", next_due=timezone.now(), last_started_at=started,
                               last_seconds=1.5, last_error="Boom")
    PeriodicJob.objects.create(name="reports.rollup", next_due=timezone.now())
    text = scrape()
    assert value(text, "wushe_tasks_queue_depth") == 1
    assert value(text, "wushe_tasks_failed") == 1
    assert value(text, 'wushe_periodic_last_run_timestamp_seconds{job="needs.sla"}') == \
        pytest.approx(started.timestamp())
    assert value(text, 'wushe_periodic_last_duration_seconds{job="needs.sla"}') == 1.5
    assert value(text, 'wushe_periodic_last_failed{job="needs.sla"}') == 1
    assert value(text, 'wushe_periodic_last_failed{job="reports.rollup"}') == 0
    assert 'wushe_periodic_last_run_timestamp_seconds{job="reports.rollup"}' not in text
    assert "Boom" not in text


def test_metrics_are_404_outside_the_allow_list(data_dir: Path, settings: Any) -> None:
    client = Client()
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    # a forwarded header from a client that is not a trusted proxy is the client's own words
    assert client.get("/metrics", REMOTE_ADDR="203.0.113.9",
                      HTTP_X_FORWARDED_FOR="127.0.0.1").status_code == 404
    settings.WUSHE_METRICS_ALLOW = "10.0.0.0/8, 192.168.5.7"
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="192.168.5.7").status_code == 200
    assert client.get("/metrics", REMOTE_ADDR="127.0.0.1").status_code == 404
    settings.WUSHE_METRICS_ALLOW = "not-an-address"  # a broken setting opens nothing
    assert client.get("/metrics", REMOTE_ADDR="10.1.2.3").status_code == 404
    assert [e.id for e in metrics.check_metrics_allow()] == ["wushe.E031"]
