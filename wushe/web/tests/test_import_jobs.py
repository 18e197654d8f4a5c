"""The shared import page and its job: progress while running, the result, the error report,
ownership, and every way a file is refused without writing anything. Exercised through the
person roster import (people's page), on the real pipeline."""

from __future__ import annotations

import io
import json
import time
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook, load_workbook

from wushe.core import excel, importjobs, progress
from wushe.people.models import Person

GOOD_ID = "11010519491231002X"
BAD_ID = "110105194912310021"  # wrong check digit


def workbook(rows: list[list[Any]], header: bool = True) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    if header:
        ws.append(["姓名", "身份证号", "手机号", "住址", "社区代码"])
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return client


def test_a_good_file_runs_as_a_job_and_its_page_shows_the_result(
        staff_a: Any, staff_b: Any, community_a: Any, inline_jobs: Any) -> None:
    client = client_for(staff_a)
    page = client.get("/people/import")
    assert page.status_code == 200 and "人员名单" in page.content.decode()
    template = client.get("/people/import?template=1")
    assert template["Content-Type"].startswith("application/vnd.openxmlformats")
    assert load_workbook(io.BytesIO(template.content)).active["A1"].value == "姓名"

    started = client.post("/people/import", {"file": workbook([
        ["张三", GOOD_ID, "13912345678", "", community_a.code],
        ["李四", "", "", "", community_a.code]])})
    assert started.status_code == 302 and started["Location"].startswith("/imports/")
    job = client.get(started["Location"])
    html = job.content.decode()
    assert job.status_code == 200 and 'data-status="done"' in html
    assert 'data-testid="import-result"' in html and "hx-get" not in html
    assert Person.objects.unscoped().filter(region=community_a).count() == 2
    assert 'href="/people/import"' in html  # "import another file" goes back to the page
    # The job is its starter's: another community's staff cannot even confirm it exists.
    assert client_for(staff_b).get(started["Location"]).status_code == 404


def test_row_errors_write_nothing_and_are_offered_as_a_workbook(
        staff_a: Any, community_a: Any, community_b: Any, inline_jobs: Any) -> None:
    client = client_for(staff_a)
    started = client.post("/people/import", {"file": workbook([
        ["张三", GOOD_ID, "", "", community_a.code],
        ["李四", BAD_ID, "", "", community_a.code],
        ["王五", 1.10105194912310e17, "", "", community_a.code],  # Excel made the ID a float
        ["赵六", "", "", "", community_b.code],  # another community: out of scope
        ["<script>alert(1)</script>", "", "", "", community_a.code]])})
    html = client.get(started["Location"]).content.decode()
    assert 'data-testid="import-errors"' in html and "<script>alert" not in html
    assert Person.objects.unscoped().count() == 0  # all or nothing
    report = client.get(started["Location"] + "errors")
    assert report.status_code == 200
    rows = list(load_workbook(io.BytesIO(report.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [3, 4, 5, 6]
    assert any("校验位" in str(r[2]) for r in rows) and any("check digit" in str(r[3])
                                                           for r in rows)
    # In English the page gives the English messages.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get(started["Location"]).content.decode()
    assert "check digit" in en and "Download the error report" in en
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    # The valid rows only, when asked.
    started = client.post("/people/import", {"file": workbook([
        ["张三", GOOD_ID, "", "", community_a.code],
        ["李四", BAD_ID, "", "", community_a.code]]), "valid_only": "on"})
    client.get(started["Location"])
    assert Person.objects.unscoped().count() == 1


def test_files_refused_on_the_form_start_no_job(staff_a: Any, community_a: Any,
                                                inline_jobs: Any,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    client = client_for(staff_a)
    not_sheet = SimpleUploadedFile("roster.xlsx", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    refused = client.post("/people/import", {"file": not_sheet})
    assert refused.status_code == 400
    assert "文件不是可读取的表格" in refused.content.decode()
    # Oversized: the limit is lowered so the test need not upload 64 MB.
    monkeypatch.setattr(importjobs, "MAX_IMPORT_BYTES", 1000)
    big = workbook([["张三", GOOD_ID, "", "", community_a.code]] * 50)
    refused = client.post("/people/import", {"file": big})
    assert refused.status_code == 400 and "文件过大" in refused.content.decode()
    assert list(inline_jobs.iterdir()) == [] and Person.objects.unscoped().count() == 0


def test_a_failing_job_says_why_in_both_languages(staff_a: Any, inline_jobs: Any) -> None:
    client = client_for(staff_a)
    started = client.post("/people/import", {"file": workbook([], header=False)})
    html = client.get(started["Location"]).content.decode()
    assert 'data-status="failed"' in html and "表格是空的" in html
    state = importjobs.job_state(actor=staff_a, job_id=started["Location"].split("/")[2])
    assert state["error"] == {"zh": "表格是空的", "en": "The sheet is empty"}


def test_the_page_polls_while_the_job_runs(staff_a: Any, community_a: Any, held_jobs: Any,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    client = client_for(staff_a)
    rows = [["赵钱孙李周吴郑王"[i % 8] + "甲乙丙丁戊己庚辛壬癸"[i // 8 % 10], "", "", "",
             community_a.code] for i in range(2500)]
    location = client.post("/people/import", {"file": workbook(rows)})["Location"]
    running = client.get(location).content.decode()
    assert 'data-status="running"' in running and 'hx-trigger="every 1s"' in running
    assert 'data-testid="job-queued"' in running  # no worker has taken it yet
    assert 'role="progressbar"' in running and "2,500" in running  # rows estimated up front
    fragment = client.get(location, HTTP_HX_REQUEST="true").content.decode()
    assert fragment.lstrip().startswith('<div id="import-progress"')  # the fragment only
    # The progress callback moves the bar as rows are checked and written, batch by batch.
    seen: list[tuple[str, int]] = []
    real_save = progress.Job.save

    def watch(job: progress.Job, **changes: Any) -> None:
        real_save(job, **changes)
        seen.append((job.state["phase"], job.state["percent"]))

    monkeypatch.setattr(progress.Job, "save", watch)
    monkeypatch.setattr(importjobs, "_SAVE_EVERY", 0.0)
    progress.job_execute(location.split("/")[2])  # what the worker does
    assert ("writing", 40) in seen and ("writing", 80) in seen and seen[-1] == ("done", 100)
    assert 'data-status="done"' in client.get(location).content.decode()
    assert Person.objects.unscoped().count() == 2500


def test_an_interrupted_job_is_reported_can_be_run_again_and_bad_ids_are_not_found(
        staff_a: Any, community_a: Any, held_jobs: Any, settings: Any) -> None:
    client = client_for(staff_a)
    location = client.post("/people/import", {"file": workbook([
        ["张三", "", "", "", community_a.code]])})["Location"]
    job_id = location.split("/")[2]
    # A worker took it and died: its heartbeat is older than WUSHE_WORKER_DEAD_SECONDS.
    state_file = held_jobs / job_id / "state.json"
    state = json.loads(state_file.read_text())
    state.update(phase="writing", worker="w-gone",
                 updated=time.time() - settings.WUSHE_WORKER_DEAD_SECONDS - 1)
    state_file.write_text(json.dumps(state))
    html = client.get(location).content.decode()
    assert 'data-status="failed"' in html and "已中断" in html
    assert 'data-testid="job-retry"' in html
    assert Person.objects.unscoped().count() == 0
    # Run it again: the upload was kept; this time a worker (inline here) finishes it.
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert client.post(location + "retry").status_code == 302
    assert 'data-status="done"' in client.get(location).content.decode()
    assert Person.objects.unscoped().count() == 1
    assert client.post(location + "retry").status_code == 400  # only an interrupted job
    for bad in ("../../etc", "x" * 20, "short"):
        assert client.get(f"/imports/{bad}/").status_code == 404
    assert client.get(location + "errors").status_code == 404  # no errors file


def test_who_may_not_import_gets_not_found(make_user: Any, community_a: Any) -> None:
    reader = make_user("team_leader", community_a, "reader")
    client = client_for(reader)
    assert client.get("/people/import").status_code == 404
    assert client.get("/people/import?template=1").status_code == 404
    refused = client.post("/people/import", {"file": workbook([])})
    assert refused.status_code == 404


def test_every_importer_has_a_page(staff_a: Any) -> None:
    """Every registered kind is reachable from a page (no import is CLI-only)."""
    from django.urls import reverse

    pages = {"people": reverse("people:import"), "needs": reverse("needs:import"),
             "orgs": reverse("orgs:import"), "volunteers": reverse("volunteers:import"),
             "social-workers": reverse("workforce:import", args=["social-workers"]),
             "community-workers": reverse("workforce:import", args=["community-workers"]),
             "care-profiles": reverse("residents:import"),
             "ledger-entries": reverse("residents:ledger_import"),
             "hotline_orders": reverse("hotline:import")}
    assert set(excel.IMPORTERS) == set(pages)


def test_rows_are_estimated_for_unsized_sheets_too(staff_a: Any, community_a: Any,
                                                   held_jobs: Any) -> None:
    """openpyxl's write-only files (and other tools) record no sheet dimension: the rows are
    then counted in the zip, so the bar still has a total."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("roster")
    ws.append(["姓名", "身份证号", "手机号", "住址", "社区代码"])
    for _ in range(1234):
        ws.append(["张三", "", "", "", community_a.code])
    buf = io.BytesIO()
    wb.save(buf)
    location = client_for(staff_a).post("/people/import", {
        "file": SimpleUploadedFile("roster.xlsx", buf.getvalue())})["Location"]
    assert importjobs.job_state(actor=staff_a, job_id=location.split("/")[2])["total"] == 1234


def test_old_jobs_are_pruned(staff_a: Any, community_a: Any, inline_jobs: Any) -> None:
    from wushe.core.jobs import JOBS

    client = client_for(staff_a)
    old = client.post("/people/import", {"file": workbook([
        ["张三", BAD_ID, "", "", community_a.code]])})["Location"].split("/")[2]
    new = client.post("/people/import", {"file": workbook([
        ["张三", BAD_ID, "", "", community_a.code]])})["Location"].split("/")[2]
    state_file = inline_jobs / old / "state.json"
    state = json.loads(state_file.read_text())
    state["updated"] = time.time() - progress.KEEP_FOR.total_seconds() - 60
    state_file.write_text(json.dumps(state))
    assert JOBS["core.jobs_prune"]() == {"removed": 1, "uploads_removed": 0}
    assert not (inline_jobs / old).exists() and (inline_jobs / new / "errors.xlsx").exists()
    assert JOBS["core.jobs_prune"]() == {"removed": 0, "uploads_removed": 0}  # idempotent
    assert client.get(f"/imports/{old}/").status_code == 404


def test_an_upload_is_private_and_a_dead_jobs_upload_is_removed(
        staff_a: Any, community_a: Any, held_jobs: Any) -> None:
    from wushe.core.jobs import JOBS

    location = client_for(staff_a).post("/people/import", {"file": workbook([
        ["张三", GOOD_ID, "", "", community_a.code]])})["Location"]
    job = held_jobs / location.split("/")[2]
    upload = job / importjobs.SOURCE
    assert upload.stat().st_mode & 0o777 == 0o600
    assert JOBS["core.jobs_prune"]()["uploads_removed"] == 0  # queued: left alone
    # Taken by a worker that died: interrupted, the upload kept an hour to run it again …
    state = json.loads((job / "state.json").read_text())
    state.update(phase="writing", worker="w-gone", updated=time.time() - 60)
    (job / "state.json").write_text(json.dumps(state))
    assert JOBS["core.jobs_prune"]()["uploads_removed"] == 0
    assert json.loads((job / "state.json").read_text())["interrupted"] is True
    # … and then removed.
    state = json.loads((job / "state.json").read_text())
    state["updated"] = time.time() - progress.RETRY_FOR.total_seconds() - 1
    (job / "state.json").write_text(json.dumps(state))
    assert JOBS["core.jobs_prune"]() == {"removed": 0, "uploads_removed": 1}
    assert not upload.exists() and (job / "state.json").exists()
