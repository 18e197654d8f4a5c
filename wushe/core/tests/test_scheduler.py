"""The periodic jobs' schedule and lease (core/jobs.py), ``wushe tick`` and ``wushe scheduler``.

The lease is what lets several schedulers (one per server) and a cron ``wushe tick`` share the
jobs: the last test races two real ``wushe scheduler`` processes over one database.
"""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import redis
import rq
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from wushe.core import jobs
from wushe.core.jobs import EVERY, JOBS, check_periodic_every, claim, run_due, run_leased
from wushe.core.models import PeriodicJob
from wushe.core.tests.procs import ROOT, env_for, migrated_data_dir

NAME, FAILING = "test.counter", "test.failing"


@pytest.fixture
def job() -> Iterator[list[int]]:
    """A real job of our own, due every hour, that counts its runs."""
    calls: list[int] = []

    def counter() -> dict[str, Any]:
        calls.append(1)
        return {"calls": len(calls)}

    JOBS[NAME], EVERY[NAME] = counter, dt.timedelta(hours=1)
    yield calls
    JOBS.pop(NAME, None)
    EVERY.pop(NAME, None)


@pytest.fixture
def failing() -> Iterator[None]:
    def fails() -> dict[str, Any]:
        raise ValueError("身份证 110101199003071234")  # an exception text quoting data

    JOBS[FAILING], EVERY[FAILING] = fails, dt.timedelta(minutes=30)
    yield
    JOBS.pop(FAILING, None)
    EVERY.pop(FAILING, None)


def _row(name: str = NAME) -> PeriodicJob:
    return PeriodicJob.objects.get(name=name)


@pytest.mark.django_db
def test_a_lease_is_exclusive(job: list[int]) -> None:
    jobs.sync_jobs()
    first = claim(NAME, "server-a")
    assert first
    assert claim(NAME, "server-b") is None
    assert claim(NAME, "server-b", force=True) is None  # --all waits for the lease too
    row = _row()
    assert (row.lease_owner, row.lease_token) == ("server-a", first)


@pytest.mark.django_db
def test_an_expired_lease_can_be_taken_over_and_the_old_token_runs_nothing(job: list[int]) -> None:
    long_ago = timezone.now() - jobs.lease_length() - dt.timedelta(minutes=1)
    jobs.sync_jobs(now=long_ago)
    stale = claim(NAME, "dead-server", now=long_ago)  # its server died: the lease ran out
    assert stale
    fresh = claim(NAME, "server-b")
    assert fresh and fresh != stale
    assert run_leased(NAME, stale) == {"ran": False, "reason": "stale lease"}
    assert job == []
    assert run_leased(NAME, fresh)["ran"] is True
    assert job == [1]


@pytest.mark.django_db
def test_run_leased_with_a_stale_token_does_nothing(job: list[int]) -> None:
    jobs.sync_jobs()
    token = claim(NAME, "server-a")
    assert token
    assert run_leased(NAME, token)["ran"] is True
    assert run_leased(NAME, token) == {"ran": False, "reason": "stale lease"}  # released
    assert run_leased(NAME, "0" * 32) == {"ran": False, "reason": "stale lease"}
    assert job == [1]
    assert _row().runs == 1


@pytest.mark.django_db
def test_a_run_is_recorded_released_and_next_due_after_every(job: list[int]) -> None:
    before = timezone.now()
    assert run_due("server-a", only=[NAME]) == {NAME: {"calls": 1, "seconds": pytest.approx(0,
                                                                                           abs=1)}}
    row = _row()
    assert (row.runs, row.lease_token, row.lease_owner, row.lease_until) == (1, "", "", None)
    assert row.last_result == {"calls": 1} and row.last_error == ""
    assert row.last_started_at >= before and row.last_finished_at >= row.last_started_at
    assert row.next_due - row.last_finished_at == dt.timedelta(hours=1)
    assert run_due("server-b", only=[NAME]) == {}  # not due again for an hour
    assert claim(NAME, "server-b") is None
    assert run_due("server-b", only=[NAME], force=True)[NAME]["calls"] == 2  # --all


@pytest.mark.django_db
def test_a_failing_job_records_its_error_is_released_and_the_others_still_run(
        job: list[int], failing: None) -> None:
    results = run_due("server-a", only=[FAILING, NAME])
    assert results[NAME]["calls"] == 1
    assert results[FAILING]["error"] == "定时任务失败 / the periodic job failed: ValueError"
    row = _row(FAILING)
    assert row.runs == 1
    assert row.last_error == "定时任务失败 / the periodic job failed: ValueError"
    assert "110101199003071234" not in row.last_error  # the exception's text is not kept
    assert (row.lease_token, row.lease_until) == ("", None)
    assert row.next_due - row.last_finished_at == dt.timedelta(minutes=30)


@pytest.mark.django_db
def test_tick_fails_when_a_job_failed_and_reports_it(failing: None) -> None:
    from django.core.management.base import CommandError

    out = StringIO()
    with pytest.raises(CommandError):
        call_command("tick", "--only", FAILING, stdout=out)
    assert json.loads(out.getvalue())[FAILING]["error"].endswith("ValueError")


@pytest.mark.django_db
def test_every_can_be_overridden_by_setting(job: list[int]) -> None:
    with override_settings(WUSHE_PERIODIC_EVERY={NAME: 60}):
        assert jobs.every(NAME) == dt.timedelta(seconds=60)
        run_due("server-a", only=[NAME])
        row = _row()
        assert row.next_due - row.last_finished_at == dt.timedelta(seconds=60)
    assert jobs.every(NAME) == dt.timedelta(hours=1)


def test_the_jobs_declare_their_schedule() -> None:
    assert jobs.every("needs.sla") == dt.timedelta(minutes=5)
    assert jobs.every("reports.rollup") == dt.timedelta(minutes=10)  # the rollup's own interval
    assert jobs.every("core.planner_stats") == dt.timedelta(days=1)


def test_a_bad_override_fails_the_system_check(job: list[int]) -> None:
    with override_settings(WUSHE_PERIODIC_EVERY={"needs.slaa": 60}):
        errors = check_periodic_every()
        assert [e.id for e in errors] == ["wushe.E017"] and "needs.slaa" in errors[0].msg
    with override_settings(WUSHE_PERIODIC_EVERY={NAME: 0}):  # "abc" in the environment is 0
        assert [e.id for e in check_periodic_every()] == ["wushe.E017"]
    with override_settings(WUSHE_PERIODIC_EVERY={NAME: 60}):
        assert check_periodic_every() == []


@pytest.mark.django_db
def test_scheduler_once_enqueues_each_due_job_once_and_status_shows_the_run(job: list[int]) -> None:
    # Tests run tasks inline (ImmediateBackend): the enqueue runs the job through run_leased.
    call_command("scheduler", "--once", stdout=StringIO())
    assert job == [1]
    assert _row().runs == 1
    call_command("scheduler", "--once", stdout=StringIO())
    assert job == [1]  # not due again
    out = StringIO()
    call_command("scheduler", "--status", stdout=out)
    status = {row["name"]: row for row in json.loads(out.getvalue())}
    assert set(status) >= set(JOBS)
    mine = status[NAME]
    assert (mine["every_seconds"], mine["runs"], mine["last_error"]) == (3600, 1, "")
    assert mine["last_result"] == {"calls": 1} and mine["next_due"] > mine["last_finished_at"]


# --- two real schedulers ------------------------------------------------------------------------

@pytest.mark.django_db(transaction=True)  # no open transaction: the copy is of committed state
def test_two_schedulers_enqueue_each_due_job_once(tmp_path: Path, stack: dict[str, str],
                                                  django_db_blocker: Any) -> None:
    data_dir = migrated_data_dir(tmp_path, django_db_blocker)
    env = env_for(data_dir, WUSHE_PERIODIC_EVERY="needs.sla=3600", **stack)
    names = sorted(n for n in JOBS if not n.startswith("test."))
    procs = [subprocess.Popen([sys.executable, "-m", "wushe.cli", "scheduler", "--interval",
                               "0.05", "--owner", owner], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for owner in ("scheduler-1", "scheduler-2")]
    db = sqlite3.connect(data_dir / "wushe.sqlite3", timeout=20)
    table = DBTaskResult._meta.db_table  # a model constant, not input

    def enqueued() -> list[str]:
        if stack:  # RQ: the jobs waiting in its queue (no worker runs), their first argument
            queue = rq.Queue("default", connection=redis.Redis.from_url(stack["WUSHE_TASKS_URL"]))
            return [str(job.args[0]) for job in queue.jobs]
        try:
            rows = db.execute(f"SELECT args_kwargs FROM {table}").fetchall()  # noqa: S608
        except sqlite3.OperationalError:  # busy: ask again
            return []
        return [json.loads(args)["args"][0] for (args,) in rows]

    exited_early = True  # until both are seen running after the race
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and len(enqueued()) < len(names):
            time.sleep(0.1)
        time.sleep(2)  # both keep racing over the same (leased) jobs
        exited_early = not all(p.poll() is None for p in procs)
    finally:
        # A scheduler that exited early leaves the other one running: kill it, so reading the
        # outputs cannot wait for ever (it did, with communicate() in an assert message).
        for p in procs:
            p.send_signal(signal.SIGKILL if exited_early else signal.SIGTERM)
        outputs = [p.communicate(timeout=20) for p in procs]
    assert not exited_early, [err[-3000:] for _, err in outputs]
    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _, err in outputs]
    assert Counter(enqueued()) == dict.fromkeys(names, 1), outputs
    lines = [line for out, _ in outputs for line in out.splitlines() if ": enqueued " in line]
    assert len(lines) == len(names)  # one log line per enqueue, across the two schedulers
    owners = dict(db.execute("SELECT name, lease_owner FROM core_periodicjob").fetchall())
    assert set(owners) == set(names)
    assert set(owners.values()) <= {"scheduler-1", "scheduler-2"}  # leased, waiting for a worker
    db.close()
    status = subprocess.run([sys.executable, "-m", "wushe.cli", "scheduler", "--status"], env=env,
                            cwd=ROOT, capture_output=True, text=True, check=True, timeout=60)
    every = {row["name"]: row["every_seconds"] for row in json.loads(status.stdout)}
    assert every["needs.sla"] == 3600  # WUSHE_PERIODIC_EVERY from the environment
    assert every["reports.rollup"] == 600
