"""``/metrics`` in the Prometheus text format (version 0.0.4), written by hand (issue #18).

Series:

- ``wushe_http_request_duration_seconds`` (histogram) by ``route``: the resolved URL pattern's
  name (``needs:track``, ``api:public_need_submit``), never the path with its ids or codes;
  ``unmatched`` when no pattern matched;
- ``wushe_http_requests_total`` by ``route`` and ``status`` class (``2xx`` … ``5xx``);
- ``wushe_tasks_queue_depth`` (tasks ready to run) and ``wushe_tasks_failed`` (failed task
  results kept by the backend);
- ``wushe_periodic_last_run_timestamp_seconds``, ``wushe_periodic_last_duration_seconds`` and
  ``wushe_periodic_last_failed`` by ``job`` (core/jobs.py).

Where the request counters live, and why. Each process counts in memory (a dict update, no I/O
on the request path) and, at most every WUSHE_METRICS_FLUSH_SECONDS, writes its counts to its
own small file DATA_DIR/metrics/<host>-<pid>-<start>.json (atomic rename). A scrape adds up the
files of this host, so whichever gunicorn worker answers, the figures are the whole server's.
Not the shared cache (core/cache.py): in the embedded default that is an SQLite file with one
write lock, and a dozen increments per request (a histogram's buckets) from every process would
queue behind each other and behind the rate limits that need that lock. A file per process has
no contention and survives a worker's restart: a dead process's file stays (its counts remain in
the sums, so they never go down) until it is a day old. Counts not yet flushed when a process is
killed are lost (at most WUSHE_METRICS_FLUSH_SECONDS of them).

Open only to the client addresses in WUSHE_METRICS_ALLOW (addresses or networks, comma
separated; the client address as core/context.py's ``client_ip`` sees it behind trusted
proxies); anyone else gets the site's ordinary 404.
"""

from __future__ import annotations

import ipaddress
import json
import os
import socket
import threading
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wushe.core.context import client_ip

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
KEEP_DEAD_SECONDS = 24 * 3600  # a dead process's file is dropped from the sums after a day

_lock = threading.Lock()
# route -> [count per bucket (not cumulative) + the +Inf overflow, sum, count]
_latency: dict[str, list[Any]] = {}
_requests: dict[tuple[str, str], int] = {}  # (route, status class) -> count
_state = {"flushed": 0.0}
_FILE_NAME = f"{socket.gethostname()}-{os.getpid()}-{int(time.time())}.json"


def observe(route: str, status: int, seconds: float) -> None:
    """Count one request (the request middleware in core/jsonlog.py calls this)."""
    with _lock:
        entry = _latency.get(route)
        if entry is None:
            entry = _latency[route] = [[0] * (len(BUCKETS) + 1), 0.0, 0]
        index = next((i for i, bound in enumerate(BUCKETS) if seconds <= bound), len(BUCKETS))
        entry[0][index] += 1
        entry[1] += seconds
        entry[2] += 1
        key = (route, f"{status // 100}xx")
        _requests[key] = _requests.get(key, 0) + 1
    if time.monotonic() - _state["flushed"] >= settings.WUSHE_METRICS_FLUSH_SECONDS:
        flush()


def metrics_dir() -> Path:
    path = Path(settings.DATA_DIR) / "metrics"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def flush() -> None:
    """Write this process's counts to its file (write, then rename: a reader never sees half)."""
    with _lock:
        data = {"latency": _latency, "requests": [[r, s, n] for (r, s), n in _requests.items()]}
        text = json.dumps(data, separators=(",", ":"))
        _state["flushed"] = time.monotonic()
    try:
        target = metrics_dir() / _FILE_NAME
        temp = target.with_suffix(f".{threading.get_ident()}.tmp")
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(text)
        temp.replace(target)
    except OSError:  # a full or read-only disk must never fail a request (readyz shows it)
        pass


def _host_totals() -> tuple[dict[str, list[Any]], dict[tuple[str, str], int]]:
    """The sums over this host's process files (this process flushed first)."""
    flush()
    latency: dict[str, list[Any]] = {}
    requests: dict[tuple[str, str], int] = {}
    prefix = f"{socket.gethostname()}-"
    now = time.time()
    for path in metrics_dir().glob(f"{prefix}*.json"):
        try:
            if now - path.stat().st_mtime > KEEP_DEAD_SECONDS:
                path.unlink(missing_ok=True)
                continue
            data = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        for route, (buckets, total, count) in data.get("latency", {}).items():
            entry = latency.setdefault(route, [[0] * (len(BUCKETS) + 1), 0.0, 0])
            for i, n in enumerate(buckets[:len(BUCKETS) + 1]):
                entry[0][i] += int(n)
            entry[1] += float(total)
            entry[2] += int(count)
        for route, status, count in data.get("requests", []):
            requests[(route, status)] = requests.get((route, status), 0) + int(count)
    return latency, requests


def _label(value: str) -> str:
    return value.replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _number(value: float) -> str:
    return repr(float(value)) if isinstance(value, float) else str(value)


def _task_figures() -> tuple[int | None, int | None]:
    """(ready tasks, failed task results) of the task backend; None when it does not answer."""
    backend = str(settings.TASKS["default"]["BACKEND"])
    try:
        if backend.startswith("django_tasks_rq"):
            import django_rq

            queue = django_rq.get_queue("default")
            return queue.count, queue.failed_job_registry.count
        if backend.startswith("django_tasks_db"):
            from django_tasks_db.models import DBTaskResult

            return DBTaskResult.objects.ready().count(), DBTaskResult.objects.failed().count()
    except Exception:  # noqa: BLE001 — the scrape still answers; readyz reports the backend
        return None, None
    return None, None  # an in-process backend has no queue


def render() -> str:
    from wushe.core.models import PeriodicJob

    latency, requests = _host_totals()
    out: list[str] = []
    name = "wushe_http_request_duration_seconds"
    out += [f"# HELP {name} Time to answer a request, by URL pattern name.",
            f"# TYPE {name} histogram"]
    for route in sorted(latency):
        buckets, total, count = latency[route]
        label = _label(route)
        running = 0
        for bound, n in zip(BUCKETS, buckets, strict=False):
            running += n
            out.append(f'{name}_bucket{{route="{label}",le="{bound}"}} {running}')
        out.append(f'{name}_bucket{{route="{label}",le="+Inf"}} {count}')
        out.append(f'{name}_sum{{route="{label}"}} {_number(float(total))}')
        out.append(f'{name}_count{{route="{label}"}} {count}')
    name = "wushe_http_requests_total"
    out += [f"# HELP {name} Requests answered, by URL pattern name and status class.",
            f"# TYPE {name} counter"]
    for (route, status), count in sorted(requests.items()):
        out.append(f'{name}{{route="{_label(route)}",status="{status}"}} {count}')
    depth, failed = _task_figures()
    if depth is not None:
        out += ["# HELP wushe_tasks_queue_depth Tasks waiting for a worker.",
                "# TYPE wushe_tasks_queue_depth gauge", f"wushe_tasks_queue_depth {depth}",
                "# HELP wushe_tasks_failed Failed task results kept by the task backend.",
                "# TYPE wushe_tasks_failed gauge", f"wushe_tasks_failed {failed}"]
    jobs = list(PeriodicJob.objects.order_by("name").values_list(
        "name", "last_started_at", "last_seconds", "last_error"))
    series: list[tuple[str, str, Callable[[Any, Any, Any], float | None]]] = [
        ("wushe_periodic_last_run_timestamp_seconds", "Start of the last run of a periodic job.",
         lambda started, seconds, error: started.timestamp() if started else None),
        ("wushe_periodic_last_duration_seconds", "Duration of the last run of a periodic job.",
         lambda started, seconds, error: seconds),
        ("wushe_periodic_last_failed", "1 when the last run of a periodic job failed.",
         lambda started, seconds, error: 1 if error else 0),
    ]
    for metric, help_text, value_of in series:
        out += [f"# HELP {metric} {help_text}", f"# TYPE {metric} gauge"]
        for job, started, seconds, error in jobs:
            value = value_of(started, seconds, error)
            if value is not None:
                out.append(f'{metric}{{job="{_label(job)}"}} {_number(value)}')
    return "\n".join(out) + "\n"


@lru_cache(maxsize=8)
def _networks(value: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(item.strip(), strict=False)
                 for item in value.split(",") if item.strip())


def allowed(request: HttpRequest) -> bool:
    address = client_ip(request.META)
    if address is None:
        return False
    ip = ipaddress.ip_address(address)
    return any(ip in network for network in _networks(settings.WUSHE_METRICS_ALLOW))


def check_metrics_allow(**kwargs: Any) -> list[Any]:
    """System check: WUSHE_METRICS_ALLOW must be addresses or networks."""
    from django.core.checks import Error

    try:
        _networks(settings.WUSHE_METRICS_ALLOW)
    except ValueError:
        return [Error("WUSHE_METRICS_ALLOW must be addresses or networks, comma separated",
                      id="wushe.E031")]
    return []


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    try:
        ok = allowed(request)
    except ValueError:  # a broken setting (the system check names it) opens nothing
        ok = False
    if not ok:
        raise Http404
    return HttpResponse(render(), content_type="text/plain; version=0.0.4; charset=utf-8")
