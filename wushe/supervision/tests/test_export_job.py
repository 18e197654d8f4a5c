"""The export job page (core/exportjobs.py), through the supervision records export: waiting
for a worker, done with its workbook, its starter's only, and bad ids not found."""

from __future__ import annotations

from typing import Any

from wushe.core import exportjobs, progress


def test_an_export_waits_for_a_worker_then_offers_its_workbook_to_its_starter_only(
        sw: Any, held_jobs: Any) -> None:
    client = sw.client("street")
    started = client.post("/supervision/records/export.xlsx?kind=consultation")
    location = started["Location"]
    job_id = location.split("/")[2]
    waiting = client.get(location).content.decode()
    assert 'data-status="running"' in waiting and 'data-testid="job-queued"' in waiting
    assert 'hx-trigger="every 1s"' in waiting
    assert client.get(location + "file").status_code == 404  # not written yet
    assert exportjobs.job_state(actor=sw.users["street"], job_id=job_id)["params"] == {
        "kind": "consultation"}  # the filters travel as the job's parameters
    progress.job_execute(job_id)  # what the worker does
    done = client.get(location).content.decode()
    assert 'data-status="done"' in done and "hx-get" not in done
    assert 'href="/supervision/records/?kind=consultation"' in done  # back to the filtered list
    assert client.get(location + "file").status_code == 200
    other = sw.client("staff_b")
    for url in (location, location + "file"):
        assert other.get(url).status_code == 404
    assert other.post(location + "retry").status_code == 404
    assert client.post(location + "retry").status_code == 400  # it was not interrupted
    for bad in ("../../etc", "x" * 20, "short"):
        assert client.get(f"/exports/{bad}/").status_code == 404


def test_whoever_may_not_see_records_cannot_start_an_export(sw: Any, make_user: Any) -> None:
    from django.test import Client

    resident = make_user("volunteer", sw.community_a, "vol_export")
    client = Client()
    client.force_login(resident, backend="wushe.accounts.backends.LockoutBackend")
    refused = client.get("/supervision/records/").status_code
    assert refused in (403, 404)
    assert client.post("/supervision/records/export.xlsx").status_code == refused  # as the list
    assert not any(progress.jobs_dir().iterdir())
