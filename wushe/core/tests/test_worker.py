"""``wushe worker`` as a real process: a page job queued by one process is done by the worker,
a web restart loses nothing, and a worker killed in the middle of an import writes nothing and
leaves a failed job with its bilingual message that can be run again."""

# ruff: noqa: S310  (every URL here is http://127.0.0.1 of a server the test started)
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from wushe.conftest import PASSWORD, make_id_number
from wushe.core.tests.procs import ROOT, env_for, free_port, migrated_data_dir, shell, wait_for
from wushe.core.tests.procs import wushe_argv as argv

DEAD_SECONDS = 2

WORLD = f"""
import json
from wushe.accounts.services import user_create
from wushe.regions.services import region_create
root = user_create(actor=None, username="root", password={PASSWORD!r}, is_superuser=True,
                   check_password=False)
d = region_create(actor=root, code="500107000000", name="九龙坡区", kind="district", parent=None,
                  population=0)
s = region_create(actor=root, code="500107001000", name="杨家坪街道", kind="street", parent=d)
c = region_create(actor=root, code="500107001001", name="杨坪社区", kind="community", parent=s,
                  population=8000, households=3000)
user_create(actor=None, username="staff", password={PASSWORD!r},
            grants=[("community_staff", c)], check_password=False)
"""

START_IMPORT = """
import io, json
from openpyxl import Workbook
from wushe.accounts.models import User
from wushe.core import importjobs
wb = Workbook(write_only=True); ws = wb.create_sheet("roster")
ws.append(["姓名", "身份证号", "手机号", "住址", "社区代码"])
for i in range({rows}):
    ws.append(["赵钱孙李周吴郑王"[i % 8] + "甲乙丙丁戊己庚辛壬癸"[i // 8 % 10], "", "", "",
               "500107001001"])
buf = io.BytesIO(); wb.save(buf); buf.seek(0)
staff = User.objects.get(username="staff")
print(importjobs.job_start(actor=staff, kind="people", upload=buf, dry_run=False,
                           valid_only=False))
"""

STATE = """
import json
from wushe.accounts.models import User
from wushe.core import importjobs
from wushe.people.models import Person
state = importjobs.job_state(actor=User.objects.get(username="staff"), job_id={job!r})
print(json.dumps({{"state": state, "persons": Person.objects.unscoped().count()}}))
"""

RETRY = """
from wushe.accounts.models import User
from wushe.core import importjobs
importjobs.job_retry(actor=User.objects.get(username="staff"), job_id={job!r})
"""


@pytest.fixture
def world(tmp_path: Path, django_db_setup: Any, django_db_blocker: Any,
          stack: dict[str, str]) -> dict[str, str]:
    data_dir = migrated_data_dir(tmp_path, django_db_blocker)
    env = env_for(data_dir, WUSHE_WORKER_DEAD_SECONDS=str(DEAD_SECONDS), **stack)
    shell(env, WORLD)
    return env


def start_worker(env: dict[str, str]) -> subprocess.Popen[str]:
    # Its own session: killing the group kills the supervisor and its child at once.
    return subprocess.Popen(argv("worker", "--interval", "0.2"), env=env, cwd=ROOT,
                            start_new_session=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)


def stop(proc: subprocess.Popen[str], sig: int = signal.SIGTERM) -> str:
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    out, _ = proc.communicate(timeout=60)
    return out


def job_file(env: dict[str, str], job: str) -> dict[str, Any]:
    try:
        return dict(json.loads((Path(env["WUSHE_DATA_DIR"]) / "jobs" / job / "state.json")
                               .read_text(encoding="utf-8")))
    except ValueError:  # caught between two writes of the temporary file: read again
        return {}


# The status of every task the queue knows, as the django.tasks backend reports it: the rows
# of django-tasks-db's table, or RQ's jobs (queued, and in its started/failed/finished registries).
QUEUE_DB = """
from django_tasks_db.models import DBTaskResult
print(sorted(r.status for r in DBTaskResult.objects.all()))
"""
QUEUE_RQ = """
import django_rq
from django.tasks import default_task_backend
from rq.registry import FailedJobRegistry, FinishedJobRegistry, StartedJobRegistry
q = django_rq.get_queue("default")
ids = set(q.job_ids)
for registry in (StartedJobRegistry, FailedJobRegistry, FinishedJobRegistry):
    ids |= set(registry(queue=q).get_job_ids(cleanup=False))
print(sorted(str(default_task_backend.get_result(i).status.value) for i in ids))
"""


def queue_rows(env: dict[str, str]) -> list[str]:
    out = shell(env, QUEUE_RQ if env.get("WUSHE_TASKS_URL") else QUEUE_DB)
    return list(eval(out))  # noqa: S307  (our own repr of a list of strings)


@pytest.fixture
def workers() -> Iterator[list[subprocess.Popen[str]]]:
    procs: list[subprocess.Popen[str]] = []
    yield procs
    for proc in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def test_a_killed_worker_writes_nothing_and_the_job_fails_clearly_and_runs_again(
        world: dict[str, str], workers: list[subprocess.Popen[str]]) -> None:
    rows = 30000
    job = shell(world, START_IMPORT.format(rows=rows)).strip().splitlines()[-1]
    assert job_file(world, job)["phase"] == "queued"
    workers.append(start_worker(world))
    # Kill the worker (supervisor and task process) while it writes, after some batches.
    wait_for(lambda: job_file(world, job).get("phase") == "writing"
             and job_file(world, job).get("done", 0) > 0, 90, "the import to be writing")
    os.killpg(workers[0].pid, signal.SIGKILL)
    workers[0].wait()
    assert queue_rows(world) == ["RUNNING"]  # the queue alone never learns the worker died
    time.sleep(DEAD_SECONDS + 0.5)
    seen = json.loads(shell(world, STATE.format(job=job)).strip().splitlines()[-1])
    state = seen["state"]
    assert seen["persons"] == 0  # not one row of the interrupted import
    assert state["status"] == "failed" and state["interrupted"] and state["retryable"]
    assert "中断" in state["error"]["zh"] and "interrupted" in state["error"]["en"]

    # A new worker marks the dead one's task failed in the queue; the user runs the job again.
    workers.append(start_worker(world))
    wait_for(lambda: queue_rows(world) == ["FAILED"], 30, "the dead worker's task to be reaped")
    shell(world, RETRY.format(job=job))
    wait_for(lambda: job_file(world, job).get("status") == "done", 120, "the job to run again")
    seen = json.loads(shell(world, STATE.format(job=job)).strip().splitlines()[-1])
    assert seen["persons"] == rows and seen["state"]["result"]["imported"] == rows
    assert sorted(queue_rows(world)) == ["FAILED", "SUCCESSFUL"]
    assert not (Path(world["WUSHE_DATA_DIR"]) / "jobs" / job / "source.sheet").exists()
    # SIGTERM stops the worker cleanly and takes its heartbeat away.
    stop(workers[1])
    assert workers[1].returncode == 0
    assert list((Path(world["WUSHE_DATA_DIR"]) / "workers").iterdir()) == []


def _post_roster(base: str, token: str, body: bytes) -> dict[str, Any]:
    boundary = uuid.uuid4().hex
    data = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"roster.xlsx\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            ).encode() + body + f"\r\n--{boundary}--\r\n".encode()
    request = urllib.request.Request(
        f"{base}/api/v1/volunteers/import", data=data, method="POST",
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                 "Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 202
        return dict(json.loads(response.read()))


def _get(base: str, path: str, token: str) -> dict[str, Any]:
    request = urllib.request.Request(f"{base}{path}", headers={"Authorization": f"Bearer {token}"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return dict(json.loads(response.read()))


def _token(base: str) -> str:
    request = urllib.request.Request(
        f"{base}/api/v1/auth/token", method="POST",
        data=json.dumps({"username": "staff", "password": PASSWORD}).encode(),
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return str(json.loads(response.read())["token"])


def _server(env: dict[str, str]) -> tuple[subprocess.Popen[str], str]:
    port = free_port()
    proc = subprocess.Popen(argv("runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"),
                            env=env, cwd=ROOT, start_new_session=True, text=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            urllib.request.urlopen(f"{base}/healthz", timeout=2)
            return True
        except OSError:
            return False

    wait_for(up, 60, "the server")
    return proc, base


def _roster(n: int) -> bytes:
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["姓名", "身份证号", "手机号", "社区代码"])
    for i in range(n):
        ws.append(["志愿者" + "甲乙丙丁戊"[i], make_id_number("500107", "19900101", f"{i + 100:03d}"), "",
                   "500107001001"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_job_survives_a_restart_of_the_web_server(
        world: dict[str, str], workers: list[subprocess.Popen[str]]) -> None:
    web, base = _server(world)
    workers.append(web)
    token = _token(base)
    started = _post_roster(base, token, _roster(5))
    assert started["status"] == "running" and started["phase"] == "queued"
    os.killpg(web.pid, signal.SIGKILL)  # the web server dies with the job queued
    web.wait()
    workers.append(start_worker(world))
    wait_for(lambda: job_file(world, started["id"]).get("status") == "done", 60,
             "the worker to do the job")
    web, base = _server(world)  # a new web server (another process) shows the outcome
    workers.append(web)
    job = _get(base, f"/api/v1/volunteers/import/{started['id']}", token)
    assert job["status"] == "done" and job["result"]["imported"] == 5, job["result"]["errors"][:2]
