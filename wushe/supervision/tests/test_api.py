"""The supervision API at /api/v1/supervision: schedule, calendar, record, reschedule,
rectifications, sessions, export, and scope (404 outside it)."""

from __future__ import annotations

import datetime as dt
import json

from wushe.core.calendar import next_workday
from wushe.supervision.tests.conftest import visit

TODAY = dt.date.today()
PAST = TODAY - dt.timedelta(days=20)
API = "/api/v1/supervision"


def _post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _record_body(**extra):
    return {"done_on": PAST.isoformat(), "progress_result": "ok", "spending_result": "ok",
            "spent_amount": "20000", "staffing_result": "ok", "staff_on_post": 2,
            "outcomes_result": "ok", "findings": "正常", **extra}


def test_schedule_calendar_and_project_visits_over_the_api(sw):
    client = sw.client("street")
    a = sw.projects["a"]
    made = _post(client, f"{API}/projects/{a.pk}/schedule")
    assert made.status_code == 201 and made.json()["created"] == 18
    again = _post(client, f"{API}/projects/{a.pk}/schedule")
    assert again.status_code == 200 and again.json()["created"] == 0
    assert len(again.json()["visits"]) == 18
    refused = _post(client, f"{API}/projects/{sw.projects['designed'].pk}/schedule")
    assert refused.status_code == 409 and refused.json()["code"] == "project_not_active"
    month = client.get(f"{API}/calendar", {"year": 2026, "month": 2}).json()
    assert sum(month["counts"].values()) == 2  # the February monthly and Q1 inspection
    assert {d["date"] for d in month["days"]} == {"2026-02-14"}
    assert all(i["tier"] == "station_to_room" for d in month["days"] for i in d["items"])
    assert client.get(f"{API}/calendar", {"year": 2026, "month": 13}).status_code == 400
    visits = client.get(f"{API}/projects/{a.pk}/visits").json()
    assert len(visits) == 18 and visits[0]["project_code"] == a.code
    quarterly = client.get(f"{API}/visits", {"kind": "quarterly_inspection",
                                             "project_id": a.pk}).json()
    assert quarterly["count"] == 4
    assert client.get(f"{API}/visits", {"state": "bogus"}).status_code == 400


def test_record_reschedule_and_rectify_over_the_api(sw):
    client = sw.client("street")
    v = visit(sw.projects["a"], PAST)
    late = visit(sw.projects["a"], PAST - dt.timedelta(days=5))
    overdue = client.get(f"{API}/visits/overdue").json()["items"]
    assert [i["id"] for i in overdue] == [late.pk, v.pk]
    assert overdue[0]["state"] == "overdue"
    future = _post(client, f"{API}/visits/{v.pk}/record",
                   _record_body(done_on=(TODAY + dt.timedelta(days=1)).isoformat()))
    assert future.status_code == 400 and future.json()["field"] == "done_on"
    assert future.json()["message"]["zh"] and future.json()["message"]["en"]
    markup = _post(client, f"{API}/visits/{v.pk}/record",
                   _record_body(findings="<script>alert(1)</script>"))
    assert markup.status_code == 400 and markup.json()["code"] == "markup"
    recorded = _post(client, f"{API}/visits/{v.pk}/record", _record_body())
    assert recorded.status_code == 200
    body = recorded.json()
    assert body["state"] == "done" and body["spent_amount"] == "20000.00"
    assert [c["result"] for c in body["checks"]] == ["ok"] * 4
    twice = _post(client, f"{API}/visits/{v.pk}/record", _record_body())
    assert twice.status_code == 409
    day = next_workday(TODAY + dt.timedelta(days=3))
    moved = _post(client, f"{API}/visits/{late.pk}/reschedule",
                  {"scheduled_on": day.isoformat(), "reason": "与评估会冲突"})
    assert moved.status_code == 200 and moved.json()["scheduled_on"] == day.isoformat()
    item = _post(client, f"{API}/visits/{v.pk}/rectifications",
                 {"item": "补齐支出凭证", "due_on": (PAST + dt.timedelta(days=5)).isoformat()})
    assert item.status_code == 201 and item.json()["overdue"] is True
    listed = client.get(f"{API}/rectifications", {"state": "overdue"}).json()["items"]
    assert [r["id"] for r in listed] == [item.json()["id"]]
    closed = _post(client, f"{API}/rectifications/{item.json()['id']}/close",
                   {"closed_on": TODAY.isoformat(), "note": "已补齐"})
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert client.get(f"{API}/rectifications", {"state": "overdue"}).json()["items"] == []
    records = client.get(f"{API}/records").json()["items"]
    assert [r["id"] for r in records] == [v.pk]
    job = client.post(f"{API}/records/export")
    assert job.status_code == 202 and job.json()["status"] == "done"
    export = client.get(f"/api/v1/exports/{job.json()['id']}/file")
    assert export.status_code == 200 and b"".join(export.streaming_content)[:2] == b"PK"
    # The job is its starter's: another account cannot even see that it exists.
    assert sw.client("staff_b").get(f"/api/v1/exports/{job.json()['id']}").status_code == 404


def test_sessions_over_the_api(sw):
    admin = sw.client("admin")
    made = _post(admin, f"{API}/sessions", {
        "kind": "centralised", "held_on": PAST.isoformat(), "topic": "年度集中督导",
        "participants": 50, "organisations": 20, "region_code": sw.district.code})
    assert made.status_code == 201 and made.json()["tier"] == "centre_to_station"
    consult = _post(admin, f"{API}/sessions", {
        "kind": "consultation", "held_on": PAST.isoformat(), "topic": "申报咨询",
        "participants": 1, "project_id": sw.projects["a"].pk})
    assert consult.status_code == 201 and consult.json()["region_code"] == sw.community_a.code
    bad = _post(admin, f"{API}/sessions", {"kind": "halfyear_visit", "held_on": PAST.isoformat(),
                                           "topic": "x", "participants": 1,
                                           "region_code": sw.district.code})
    assert bad.status_code == 400 and bad.json()["field"] == "kind"
    listed = admin.get(f"{API}/sessions", {"kind": "consultation"}).json()
    assert listed["count"] == 1
    street = sw.client("street")
    assert _post(street, f"{API}/sessions", {
        "kind": "centralised", "held_on": PAST.isoformat(), "topic": "区级督导",
        "participants": 5, "region_code": sw.district.code}).status_code == 404


def test_another_community_gets_404_and_empty_lists(sw):
    v = visit(sw.projects["a"], PAST, status="done")
    other = sw.client("staff_b")
    assert other.get(f"{API}/visits/{v.pk}").status_code == 404
    assert other.get(f"{API}/visits/{v.pk}/rectifications").status_code == 404
    assert _post(other, f"{API}/visits/{v.pk}/record", _record_body()).status_code == 404
    assert _post(other, f"{API}/visits/{v.pk}/rectifications",
                 {"item": "x", "due_on": TODAY.isoformat()}).status_code == 404
    assert other.get(f"{API}/visits").json()["items"] == []
    assert other.get(f"{API}/records").json()["items"] == []
    assert other.get(f"{API}/projects/{sw.projects['a'].pk}/visits").status_code == 404
    assert other.get(f"{API}/projects/{sw.projects['b'].pk}/visits").json() == []
    street_b = sw.client("street_b")
    assert street_b.get(f"{API}/projects/{sw.projects['a'].pk}/visits").status_code == 404
    assert _post(street_b, f"{API}/projects/{sw.projects['a'].pk}/schedule").status_code == 404
    own = sw.client("staff_a")
    assert own.get(f"{API}/visits/{v.pk}").status_code == 200
    assert _post(own, f"{API}/visits/{v.pk}/rectifications",
                 {"item": "x", "due_on": TODAY.isoformat()}).status_code == 403
    assert sw.client("evaluator").get(f"{API}/calendar",
                                      {"year": 2026, "month": 1}).status_code == 403
