"""The supervision pages: the calendar, the visit page and its forms, the lists, the sessions,
the export, the project panel, navigation, and scope (404, never a leak)."""

from __future__ import annotations

import datetime as dt
import io

from django.test import RequestFactory
from openpyxl import load_workbook

from wushe.core.calendar import next_workday
from wushe.core.scoping import scopes_disabled
from wushe.projects import hooks
from wushe.supervision.models import Rectification, Supervision
from wushe.supervision.registry import project_panel
from wushe.supervision.tests.conftest import visit
from wushe.web.home import ROLE_TASKS
from wushe.web.navigation import menu_for

TODAY = dt.date.today()
PAST = TODAY - dt.timedelta(days=20)


def _record_form(**extra):
    return {"done_on": PAST.isoformat(), "progress_result": "ok", "spending_result": "ok",
            "spent_amount": "30000", "staffing_result": "ok", "staff_on_post": "3",
            "outcomes_result": "concern", "outcomes_note": "成效材料不全", "findings": "总体正常",
            **extra}


def test_the_calendar_shows_the_month_with_colours_and_moves_between_months(sw):
    a = sw.projects["a"]
    visit(a, PAST, kind="quarterly_inspection")
    visit(a, PAST - dt.timedelta(days=1), status="done")
    client = sw.client("street")
    page = client.get("/supervision/", {"year": PAST.year, "month": PAST.month})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-state="overdue"' in html and 'data-state="done"' in html
    assert a.code in html and 'data-testid="prev-month"' in html
    nxt = (PAST.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    assert f"year={nxt.year}&amp;month={nxt.month}" in html
    filtered = client.get("/supervision/", {"year": PAST.year, "month": PAST.month,
                                            "kind": "monthly_scheduling"},
                          headers={"HX-Request": "true"})
    assert filtered.status_code == 200 and "<html" not in filtered.content.decode()
    assert 'data-state="overdue"' not in filtered.content.decode()
    assert client.get("/supervision/", {"month": "13"}).status_code == 400
    # Community B's staff see an empty month, not community A's visits.
    other = sw.client("staff_b").get("/supervision/", {"year": PAST.year, "month": PAST.month})
    assert a.code not in other.content.decode()


def test_recording_a_visit_through_the_page(sw):
    v = visit(sw.projects["a"], PAST)
    client = sw.client("street")
    detail = client.get(f"/supervision/visits/{v.pk}/")
    assert detail.status_code == 200 and 'data-testid="record-visit"' in detail.content.decode()
    form = client.get(f"/supervision/visits/{v.pk}/record")
    assert form.status_code == 200 and 'data-testid="check-spending"' in form.content.decode()
    future = client.post(f"/supervision/visits/{v.pk}/record",
                         _record_form(done_on=(TODAY + dt.timedelta(days=2)).isoformat()))
    assert future.status_code == 400 and "不能晚于今天" in future.content.decode()
    script = client.post(f"/supervision/visits/{v.pk}/record",
                         _record_form(findings="<script>alert(1)</script>"))
    assert script.status_code == 400
    with scopes_disabled():
        assert Supervision.objects.get(pk=v.pk).status == "planned"
    done = client.post(f"/supervision/visits/{v.pk}/record", _record_form())
    assert done.status_code == 302
    with scopes_disabled():
        got = Supervision.objects.get(pk=v.pk)
    assert (got.status, got.outcomes_result) == ("done", "concern")
    page = client.get(f"/supervision/visits/{v.pk}/").content.decode()
    assert "成效材料不全" in page and 'data-testid="record-visit"' not in page
    add = client.post(f"/supervision/visits/{v.pk}/rectifications/new",
                      {"item": "补充成效材料", "due_on": (TODAY + dt.timedelta(days=10)).isoformat()})
    assert add.status_code == 302
    with scopes_disabled():
        item = Rectification.objects.get()
    closed = client.post(f"/supervision/rectifications/{item.pk}/close",
                         {"closed_on": TODAY.isoformat(), "note_text": "已补充"})
    assert closed.status_code == 302
    item.refresh_from_db()
    assert item.status == "closed"


def test_reschedule_and_miss_pages(sw):
    v = visit(sw.projects["a"], PAST)
    client = sw.client("street")
    assert client.get(f"/supervision/visits/{v.pk}/reschedule").status_code == 200
    bad = client.post(f"/supervision/visits/{v.pk}/reschedule",
                      {"scheduled_on": PAST.isoformat(), "reason": "改期"})
    assert bad.status_code == 400
    day = next_workday(TODAY + dt.timedelta(days=2))
    ok = client.post(f"/supervision/visits/{v.pk}/reschedule",
                     {"scheduled_on": day.isoformat(), "reason": "街道会议"})
    assert ok.status_code == 302
    late = visit(sw.projects["a"], PAST - dt.timedelta(days=7))
    assert client.post(f"/supervision/visits/{late.pk}/miss",
                       {"reason": "机构停工"}).status_code == 302
    with scopes_disabled():
        assert Supervision.objects.get(pk=late.pk).status == "missed"


def test_the_lists_and_the_export(sw):
    a = sw.projects["a"]
    late = visit(a, PAST)
    done = visit(a, PAST - dt.timedelta(days=3), status="done", progress_result="ok",
                 spending_result="problem", spending_note="超支", staffing_result="ok",
                 outcomes_result="ok", findings="资金问题")
    Rectification.objects.create(supervision=done, region_path=done.region_path, item="退回超支",
                                 due_on=PAST)
    client = sw.client("street")
    overdue = client.get("/supervision/overdue/").content.decode()
    assert f"/supervision/visits/{late.pk}/" in overdue
    rect = client.get("/supervision/rectifications/").content.decode()
    assert "退回超支" in rect
    assert "退回超支" not in client.get("/supervision/rectifications/",
                                      {"state": "closed"}).content.decode()
    records = client.get("/supervision/records/").content.decode()
    assert f"/supervision/visits/{done.pk}/" in records
    assert f"/supervision/visits/{late.pk}/" not in records
    export = exported(client)
    rows = list(load_workbook(io.BytesIO(export)).active.iter_rows(values_only=True))
    assert len(rows) == 2 and rows[1][3] == a.code and "资金问题" in rows[1]
    assert rows[1][-2:] == (1, 1)  # one rectification item, still open
    # Community B's staff: nothing of community A in any list or export.
    other = sw.client("staff_b")
    for url in ("/supervision/overdue/", "/supervision/rectifications/", "/supervision/records/"):
        assert a.code not in other.get(url).content.decode()
    empty = load_workbook(io.BytesIO(exported(other)))
    assert len(list(empty.active.iter_rows())) == 1


def exported(client, query=""):
    """The records export through its job: the button queues it, the job page (done at once
    in tests) links the workbook."""
    assert client.get(f"/supervision/records/export.xlsx{query}").status_code == 405  # POST only
    started = client.post(f"/supervision/records/export.xlsx{query}")
    assert started.status_code == 302 and started["Location"].startswith("/exports/")
    page = client.get(started["Location"]).content.decode()
    assert 'data-status="done"' in page and 'data-testid="export-file"' in page
    export = client.get(started["Location"] + "file")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "supervision-records-" in export["Content-Disposition"]
    return b"".join(export.streaming_content)


def test_sessions_list_and_form(sw):
    client = sw.client("admin")
    assert client.get("/supervision/sessions/new").status_code == 200
    bad = client.post("/supervision/sessions/new", {"kind": "centralised",
                                                    "held_on": PAST.isoformat(), "topic": "督导",
                                                    "participants": "30"})
    assert bad.status_code == 400  # no region, no project
    unknown = client.post("/supervision/sessions/new", {
        "kind": "consultation", "held_on": PAST.isoformat(), "topic": "咨询",
        "participants": "2", "project": "XM9999-00001"})
    assert unknown.status_code == 404
    ok = client.post("/supervision/sessions/new", {
        "kind": "centralised", "held_on": PAST.isoformat(), "topic": "中期评估集中督导",
        "participants": "45", "organisations": "12", "region": sw.district.code})
    assert ok.status_code == 302
    by_project = client.post("/supervision/sessions/new", {
        "kind": "consultation", "held_on": PAST.isoformat(), "topic": "票据咨询",
        "participants": "2", "project": sw.projects["a"].code.lower()})
    assert by_project.status_code == 302
    listing = client.get("/supervision/sessions/").content.decode()
    assert "中期评估集中督导" in listing and "票据咨询" in listing
    only = client.get("/supervision/sessions/", {"kind": "consultation"}).content.decode()
    assert "中期评估集中督导" not in only
    # Community staff see the sessions of their community only, and may not record one.
    staff = sw.client("staff_a")
    assert "票据咨询" in staff.get("/supervision/sessions/").content.decode()
    assert staff.get("/supervision/sessions/new").status_code == 403


def test_another_community_cannot_see_or_confirm_a_record(sw):
    v = visit(sw.projects["a"], PAST, status="done", findings="涉密发现")
    item = Rectification.objects.create(supervision=v, region_path=v.region_path, item="整改",
                                        due_on=PAST)
    other = sw.client("staff_b")
    for url in (f"/supervision/visits/{v.pk}/", f"/supervision/visits/{v.pk}/record",
                f"/supervision/visits/{v.pk}/rectifications/new",
                f"/supervision/rectifications/{item.pk}/close",
                "/supervision/visits/999999/"):
        response = other.get(url)
        assert response.status_code == 404, url
        assert "涉密发现" not in response.content.decode()
    assert other.post(f"/supervision/visits/{v.pk}/record", _record_form()).status_code == 404
    # Its own community's staff see it, but may not act on it.
    own = sw.client("staff_a")
    assert "涉密发现" in own.get(f"/supervision/visits/{v.pk}/").content.decode()
    assert own.get(f"/supervision/visits/{v.pk}/rectifications/new").status_code == 403


def test_the_project_panel_and_the_schedule_button(sw):
    assert "supervision" in hooks.PANELS
    a = sw.projects["a"]
    request = RequestFactory().get(f"/projects/{a.pk}/")
    request.user = sw.users["street"]
    assert project_panel(request, a)["sup_can_generate"] is True
    client = sw.client("street")
    made = client.post(f"/supervision/projects/{a.pk}/schedule", {"next": "https://evil.example/"})
    assert made.status_code == 302 and "evil" not in made["Location"]
    ctx = project_panel(request, a)
    assert sum(len(m["items"]) for m in ctx["sup_months"]) == 18
    request.user = sw.users["staff_b"]
    assert project_panel(request, a) is None
    assert client.post(f"/supervision/projects/{sw.projects['c'].pk}/schedule").status_code == 404
    # A second press plans nothing more.
    client.post(f"/supervision/projects/{a.pk}/schedule")
    with scopes_disabled():
        assert Supervision.objects.filter(project=a).count() == 18


def test_navigation_and_home_tasks(sw):
    assert any(i.url_name == "supervision:calendar" for i in menu_for(sw.users["staff_a"]))
    assert not any(i.url_name == "supervision:calendar" for i in menu_for(sw.users["evaluator"]))
    for role in ("district_admin", "street_staff", "social_worker"):
        assert any(name.startswith("supervision:") for _l, name in ROLE_TASKS[role])
    assert sw.client("evaluator").get("/supervision/").status_code == 403


def test_the_panel_shows_on_the_project_page(sw):
    a = sw.projects["a"]
    client = sw.client("street")
    client.post(f"/supervision/projects/{a.pk}/schedule")
    page = client.get(f"/projects/{a.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="supervision-panel"' in html and 'data-testid="project-calendar"' in html
    assert sw.client("staff_b").get(f"/projects/{a.pk}/").status_code == 404


def test_a_crowded_day_shows_some_and_links_to_the_rest(sw):
    day = PAST
    for _ in range(10):
        visit(sw.projects["a"], day)
    visit(sw.projects["a"], day, status="done")
    client = sw.client("street")
    html = client.get("/supervision/", {"year": day.year, "month": day.month}).content.decode()
    assert html.count('data-state="overdue"') == 8 and 'data-testid="more"' in html
    listing = client.get("/supervision/visits/", {"date_from": day.isoformat(),
                                                   "date_to": day.isoformat()}).content.decode()
    assert listing.count("/supervision/visits/") >= 11
    overdue_only = client.get("/supervision/visits/", {"state": "overdue"}).content.decode()
    assert overdue_only.count('data-state="overdue"') == 10
    assert client.get("/supervision/visits/", {"state": "nope"}).status_code == 400
