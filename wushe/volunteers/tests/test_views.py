"""The pages: each renders for the roles that use it, forms refuse bad input next to the field,
personal data is masked, and the leader's queue confirms."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from wushe.volunteers import services
from wushe.volunteers.models import RecordStatus, ServiceRecord, Volunteer
from wushe.volunteers.tests.factories import VWorld, idn
from wushe.volunteers.tests.roster import rows, workbook

CLEAR_ID = re.compile(r"\b500107\d{11}[\dX]\b")


def test_pages_render_for_staff_and_leaders(vw: VWorld) -> None:
    r = vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=30)
    pages = ["/volunteers/", "/volunteers/teams/", f"/volunteers/teams/{vw.squad_a.pk}/",
             "/volunteers/activities/", "/volunteers/records/", "/volunteers/queue/",
             "/volunteers/certificates/", "/volunteers/pairings/", "/volunteers/applications/",
             "/volunteers/import/", f"/volunteers/{vw.volunteers['a1'].pk}/",
             f"/volunteers/records/{r.pk}/", "/volunteers/new", "/volunteers/teams/new",
             "/volunteers/activities/new", "/volunteers/records/new", "/volunteers/pairings/new"]
    for username in ("leader_a", "street"):
        client = vw.client(username)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (username, url, response.status_code)
            assert not CLEAR_ID.search(response.content.decode()), (username, url)


def test_auditor_reads_but_may_not_write(vw: VWorld) -> None:
    client = vw.client("auditor")
    assert client.get("/volunteers/").status_code == 200
    assert client.get("/volunteers/teams/").status_code == 200
    assert client.get("/volunteers/new").status_code == 403
    assert client.get("/volunteers/queue/").status_code == 404


def test_list_filters_and_htmx_partial(vw: VWorld) -> None:
    client = vw.client("street")
    html = client.get("/volunteers/", {"q": vw.volunteers["a2"].number}).content.decode()
    assert vw.volunteers["a2"].number in html and vw.volunteers["a1"].number not in html
    partial = client.get("/volunteers/", {"team": vw.squad_a2.pk}, HTTP_HX_REQUEST="true")
    body = partial.content.decode()
    assert "<html" not in body and vw.volunteers["a2b"].number in body
    assert vw.volunteers["a1"].number not in body
    by_id = client.post("/volunteers/", {"q": idn("19900101", "102")}, follow=True)
    assert vw.volunteers["a2"].number in by_id.content.decode()
    (target, _), = by_id.redirect_chain  # the ID number stays out of the URL (#22)
    assert target.startswith("/volunteers/?s=") and idn("19900101", "102") not in target
    refused = client.get("/volunteers/", {"q": idn("19900101", "102")})
    assert refused.status_code == 400
    assert vw.volunteers["a1"].number in refused.content.decode()  # not searched
    exported = client.get("/volunteers/export/volunteers", {"q": idn("19900101", "102")})
    assert exported.status_code == 400


def test_register_form_shows_errors_next_to_fields(vw: VWorld) -> None:
    client = vw.client("leader_a")
    response = client.post("/volunteers/new", {
        "team": vw.squad_a.pk, "region": "500107001001", "name": "<b>x</b>",
        "id_number": "500107198001015019", "phone": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "is-invalid" in html and "data-testid=\"form-errors\"" in html
    response = client.post("/volunteers/new", {
        "team": vw.squad_a.pk, "region": "500107001001", "name": "钱多多",
        "id_number": idn("19850505", "901"), "phone": "13912345678", "skills": "急救",
        "interests": ["elderly"], "availability": ["weekend"]})
    assert response.status_code == 302
    v = Volunteer.objects.unscoped().get(person__name="钱多多")
    assert response["Location"] == f"/volunteers/{v.pk}/"


def test_leader_confirms_in_the_queue_and_the_profile_changes(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    r = vw.record(a1, vw.squad_a, "2.5", start_hours_ago=30)
    client = vw.client("leader_a")
    queue = client.get("/volunteers/queue/").content.decode()
    assert a1.number in queue
    response = client.post("/volunteers/queue/confirm", {"only": r.pk, "record": [999]})
    assert response.status_code == 302
    assert ServiceRecord.objects.unscoped().get(pk=r.pk).status == RecordStatus.CONFIRMED
    profile = client.get(f"/volunteers/{a1.pk}/").content.decode()
    assert 'data-testid="volunteer-hours">2.50<' in profile


def test_volunteer_own_page_and_correction_request(vw: VWorld) -> None:
    r = vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=30)
    services.records_confirm(actor=vw.root, records=[r])
    client = vw.client("vol_user")
    html = client.get("/volunteers/me/").content.decode()
    assert 'data-testid="my-hours">2.00<' in html and vw.volunteers["a1"].number in html
    response = client.post(f"/volunteers/records/{r.pk}/", {
        "form": "request", "proposed_hours": "3", "reason": "实际三小时"})
    assert response.status_code == 302
    requests = client.get("/volunteers/me/").content.decode().split('data-testid="my-requests"')[1]
    assert "2.00 → 3.00" in requests.split("</ul>")[0]
    # The volunteer has no staff pages.
    assert client.get("/volunteers/queue/").status_code == 404
    assert client.get("/volunteers/new").status_code == 403


def test_activity_calendar_shows_the_month(vw: VWorld) -> None:
    start = timezone.localtime().replace(day=10, hour=9, minute=0, second=0, microsecond=0)
    a = services.activity_create(actor=vw.root, team=vw.squad_a, region=vw.community_a,
                                 title="月历中的探访", kind="visit", place="x", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=2), capacity=5)
    client = vw.client("leader_a")
    html = client.get("/volunteers/activities/", {"year": start.year,
                                                  "month": start.month}).content.decode()
    assert "月历中的探访" in html and f"/volunteers/activities/{a.pk}/" in html
    other = vw.client("leader_b").get("/volunteers/activities/", {
        "year": start.year, "month": start.month}).content.decode()
    assert "月历中的探访" not in other
    bad = client.get("/volunteers/activities/", {"year": "x", "month": "13"})
    assert bad.status_code == 200


def test_exports_are_xlsx_and_masked(vw: VWorld) -> None:
    client = vw.client("street")
    for url in ("/volunteers/export/volunteers", "/volunteers/export/records",
                "/volunteers/export/teams"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith(
            "application/vnd.openxmlformats")
        ws = load_workbook(io.BytesIO(response.content)).active
        cells = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
        assert not CLEAR_ID.search(cells), url
    vols = load_workbook(io.BytesIO(client.get("/volunteers/export/volunteers").content)).active
    assert vols.max_row == 1 + 3  # the street's three, not the other street's


def test_import_page_runs_the_job_and_shows_progress(vw: VWorld, inline_jobs: object) -> None:
    client = vw.client("street")
    upload = io.BytesIO(workbook(list(rows(12, "500107001001", "000100010001"))))
    upload.name = "roster.xlsx"
    response = client.post("/volunteers/import/", {"file": upload})
    assert response.status_code == 302
    job_url = response["Location"]
    page = client.get(job_url)
    assert page.status_code == 200 and 'data-status="done"' in page.content.decode()
    assert Volunteer.objects.unscoped().count() == 4 + 12
    # Only the user who started it sees the job.
    assert vw.client("admin").get(job_url).status_code == 404
    # A failing file shows its errors and offers the error report.
    bad = io.BytesIO(workbook([["张三", 5.00107198001015e17, "", "500107001001", "", "", "", "",
                                "", "", "", ""]]))
    bad.name = "bad.xlsx"
    job_url = client.post("/volunteers/import/", {"file": bad})["Location"]
    html = client.get(job_url).content.decode()
    assert 'data-testid="import-errors"' in html
    assert client.get(job_url + "errors").status_code == 200


def test_certificate_pages_and_pdf(vw: VWorld) -> None:
    r = vw.record(vw.volunteers["a1"], vw.squad_a, "3", start_hours_ago=30)
    services.records_confirm(actor=vw.root, records=[r])
    client = vw.client("leader_a")
    today = timezone.localdate()
    response = client.post(f"/volunteers/{vw.volunteers['a1'].pk}/certificates/new", {
        "team": vw.squad_a.pk, "period_start": (today - dt.timedelta(days=30)).isoformat(),
        "period_end": today.isoformat()})
    assert response.status_code == 302, response.content.decode()[:2000]
    detail = client.get(response["Location"])
    assert detail.status_code == 200
    pdf = client.get(response["Location"] + "pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    mine = vw.client("vol_user").get(response["Location"] + "pdf")
    assert mine.status_code == 200
    assert vw.client("leader_b").get(response["Location"]).status_code == 404


@pytest.mark.parametrize("model", ["team", "volunteer", "activity", "servicerecord",
                                   "certificate"])
def test_back_office_lists_open_masked(vw: VWorld, model: str) -> None:
    from django.test import Client

    from wushe.accounts.tests.otp_helpers import verify_session

    client = Client()
    client.force_login(vw.root, backend="wushe.accounts.backends.LockoutBackend")
    verify_session(client, vw.root)  # the back office asks for a second factor
    response = client.get(f"/admin/volunteers/{model}/")
    assert response.status_code == 200
    assert "王小花" not in response.content.decode()
