"""The volunteers API end to end: teams, registration, activities with check-in/out, records,
certificates, pairing, import; errors in both languages; everything audited."""

from __future__ import annotations

import datetime as dt
import io

from django.test import Client
from django.utils import timezone

from wushe.accounts.tests.otp_helpers import token_body
from wushe.audit.codes import all_codes
from wushe.audit.models import AuditEvent
from wushe.conftest import PASSWORD
from wushe.people.services import person_create
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.tests.factories import VWorld, idn
from wushe.volunteers.tests.roster import rows, workbook


def _wrong_check(id_number: str) -> str:
    return id_number[:17] + ("1" if id_number[17] != "1" else "2")


def bearer(username: str) -> dict[str, str]:
    # token_body adds the one-time code for the roles that need one
    token = Client().post("/api/v1/auth/token", token_body(username, PASSWORD),
                          content_type="application/json").json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def post(client: Client, url: str, body: dict[str, object], auth: dict[str, str]):  # type: ignore[no-untyped-def]
    return client.post(url, body, content_type="application/json", **auth)


def test_team_and_volunteer_through_the_api(vw: VWorld) -> None:
    client, auth = Client(), bearer("leader_det_a")
    created = post(client, "/api/v1/volunteers/teams", {
        "name": "西郊社区助老小队", "level": "squad", "region_code": "500107001002",
        "parent_id": vw.det_a.pk, "brand": "银发先锋"}, auth)
    assert created.status_code == 201, created.json()
    team = created.json()
    assert team["code"] == "000100010003" and team["hours_confirmed"] == "0.00"
    wrong = post(client, "/api/v1/volunteers/teams", {
        "name": "错层", "level": "squad", "region_code": "500107001002",
        "parent_id": vw.corps.pk}, auth)
    assert wrong.status_code == 404  # the corps is above this leader
    v = post(client, "/api/v1/volunteers/", {
        "region_code": "500107001002", "team_id": team["id"], "name": "钱多多",
        "id_number": idn("19850505", "931"), "phone": "13912345678",
        "skills": ["急救"], "interests": ["elderly"]}, auth)
    assert v.status_code == 201 and v.json()["name"] == "钱*多" and "*" in v.json()["id_number"]
    bad = post(client, "/api/v1/volunteers/", {
        "region_code": "500107001002", "team_id": team["id"], "name": "钱多多",
        "id_number": _wrong_check(idn("19850505", "932")), "phone": "13912345678"}, auth)
    body = bad.json()
    assert bad.status_code == 400 and body["code"] == "id_number_checksum"
    assert body["message"]["zh"] and body["message"]["en"] and body["field"] == "id_number"
    listed = client.get("/api/v1/volunteers/", {"team_id": team["id"]}, **auth).json()
    assert listed["count"] == 1 and listed["items"][0]["stars"] == 0


def test_activity_flow_through_the_api(vw: VWorld) -> None:
    client, auth = Client(), bearer("leader_a")
    start = timezone.now() - dt.timedelta(hours=4)
    a = post(client, "/api/v1/volunteers/activities", {
        "team_id": vw.squad_a.pk, "region_code": "500107001001", "title": "助老服务",
        "kind": "care", "place": "杨坪社区", "starts_at": start.isoformat(),
        "ends_at": (start + dt.timedelta(hours=6)).isoformat(), "capacity": 5, "risky": True,
        "target_groups": ["elderly"]}, auth)
    assert a.status_code == 201
    aid = a.json()["id"]
    refused = post(client, f"/api/v1/volunteers/activities/{aid}/status", {"status": "open"},
                   auth)
    assert refused.status_code == 400 and refused.json()["code"] == "insurance_required"
    assert client.patch(f"/api/v1/volunteers/activities/{aid}", {"insurance_note": "团险"},
                        content_type="application/json", **auth).status_code == 200
    assert post(client, f"/api/v1/volunteers/activities/{aid}/status", {"status": "open"},
                auth).json()["status"] == "open"
    s = post(client, f"/api/v1/volunteers/activities/{aid}/signups",
             {"volunteer_id": vw.volunteers["a1"].pk}, auth).json()
    post(client, f"/api/v1/volunteers/signups/{s['id']}/check-in", {"at": start.isoformat()},
         auth)
    record = post(client, f"/api/v1/volunteers/signups/{s['id']}/check-out",
                  {"at": (start + dt.timedelta(hours=2)).isoformat()}, auth).json()
    assert record["hours"] == "2.00" and record["status"] == "pending"
    queue = client.get("/api/v1/volunteers/queue", **auth).json()
    assert [r["id"] for r in queue["items"]] == [record["id"]]
    confirmed = post(client, "/api/v1/volunteers/records/confirm", {"ids": [record["id"]]}, auth)
    assert confirmed.json()[0]["effective"] is True
    fix = post(client, f"/api/v1/volunteers/records/{record['id']}/corrections",
               {"hours": "1.5", "reason": "提前离开"}, auth)
    assert fix.status_code == 201 and fix.json()["corrects_id"] == record["id"]
    teams = client.get(f"/api/v1/volunteers/teams/{vw.squad_a.pk}/totals", **auth).json()
    assert teams["hours_confirmed"] == "2.00"


def test_certificate_and_pairing_through_the_api(vw: VWorld) -> None:
    client, auth = Client(), bearer("leader_a")
    r = vw.record(vw.volunteers["a1"], vw.squad_a, "3", start_hours_ago=30)
    post(client, "/api/v1/volunteers/records/confirm", {"ids": [r.pk]}, auth)
    today = timezone.localdate()
    cert = post(client, "/api/v1/volunteers/certificates", {
        "volunteer_id": vw.volunteers["a1"].pk, "team_id": vw.squad_a.pk,
        "period_start": (today - dt.timedelta(days=5)).isoformat(),
        "period_end": today.isoformat()}, auth)
    assert cert.status_code == 201 and cert.json()["snapshot"]["name"] == "王*花"
    pdf = client.get(f"/api/v1/volunteers/certificates/{cert.json()['id']}/pdf", **auth)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    elder = person_create(actor=vw.users["staff_a"], region=vw.community_a, name="杨奶奶",
                          id_number=idn("19400101", "941"))
    p = post(client, "/api/v1/volunteers/pairings", {
        "team_id": vw.squad_a.pk, "person_id": elder.pk, "target_group": "empty_nest",
        "volunteer_id": vw.volunteers["a1"].pk}, auth)
    assert p.status_code == 201 and p.json()["person_name"] == "杨*奶"
    visit = post(client, f"/api/v1/volunteers/pairings/{p.json()['id']}/visits", {
        "visited_on": today.isoformat(), "minutes": 50, "content": "陪伴"}, auth)
    assert visit.status_code == 201


def test_import_through_the_api(vw: VWorld, inline_jobs: object) -> None:
    client, auth = Client(), bearer("street")
    upload = io.BytesIO(workbook(list(rows(7, "500107001002", "000100010002"))))
    upload.name = "r.xlsx"
    response = client.post("/api/v1/volunteers/import", {"file": upload}, **auth)
    assert response.status_code == 202
    job = client.get(f"/api/v1/volunteers/import/{response.json()['id']}", **auth).json()
    assert job["status"] == "done" and job["result"]["imported"] == 7
    assert Client().get(f"/api/v1/volunteers/import/{job['id']}",
                        **bearer("admin")).status_code == 404
    # A leader imports into its own teams only: these rows name another squad.
    upload.seek(0)
    other = client.post("/api/v1/volunteers/import", {"file": upload}, **bearer("leader_a"))
    state = client.get(f"/api/v1/volunteers/import/{other.json()['id']}",
                       **bearer("leader_a")).json()
    assert state["result"]["imported"] == 0 and state["result"]["error_count"] == 7
    upload.seek(0)
    assert client.post("/api/v1/volunteers/import", {"file": upload},
                       **bearer("vol_user")).status_code == 404


def test_openapi_lists_the_public_verification() -> None:
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/public/certificates/{number}" in schema["paths"]
    assert "/api/v1/volunteers/teams/{team_id}/totals" in schema["paths"]


def test_every_action_code_is_registered_and_used(vw: VWorld) -> None:
    codes = set(all_codes())
    assert {a.value for a in VolunteerAction} <= codes
    used = set(AuditEvent.objects.unscoped().values_list("action", flat=True))
    assert {"volunteers.team.created", "volunteers.volunteer.registered",
            "volunteers.membership.added", "volunteers.volunteer.account_linked",
            "accounts.grant.created"} <= used
