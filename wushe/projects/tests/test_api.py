"""The API walks the same rules as the pages: design, pick needs, list, procure, contract,
pay; errors are bilingual JSON; bad input changes nothing."""

from __future__ import annotations

import json

from wushe.projects.models import ServiceProject, Status


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_api_walk(pw, gate):
    street = pw.client("street")
    made = _post(street, "/api/v1/projects/", {
        "region_code": pw.street.code, "name": "社区议事能力提升项目",
        "domain": "community_governance", "year": 2026, "budget": "80000",
        "target_groups": ["general"],
        "indicators": [{"name": "议事会", "unit": "场", "target": "12"}]})
    assert made.status_code == 201, made.content
    pid = made.json()["id"]
    admin = pw.client("admin")
    plist = _post(admin, "/api/v1/projects/purchase-lists/", {
        "region_code": pw.district.code, "year": 2026, "name": "第一批"}).json()
    r = _post(admin, f"/api/v1/projects/purchase-lists/{plist['id']}/projects",
              {"project_ids": [pid]})
    assert r.json()["projects"] == 1
    verdicts = admin.get(f"/api/v1/projects/{pid}/eligible-providers").json()
    assert {v["org_id"] for v in verdicts if v["eligible"]} >= {pw.orgs["a"].pk}
    r = _post(admin, f"/api/v1/projects/{pid}/procurement", {
        "method": "competitive_negotiation", "candidate_ids": [pw.orgs["a"].pk],
        "selected_id": pw.orgs["a"].pk, "reason": "报价最优"})
    assert r.json()["status"] == "procured"
    r = _post(admin, f"/api/v1/projects/{pid}/contract", {
        "amount": "80000", "start": "2026-01-01", "end": "2027-01-01"})
    assert r.status_code == 400 and r.json()["field"] == "end"
    assert set(r.json()["message"]) == {"zh", "en"}
    r = _post(admin, f"/api/v1/projects/{pid}/contract", {
        "amount": "80000", "start": "2026-01-01", "end": "2027-01-01", "stable": True})
    assert r.status_code == 201
    assert [t["gate_state"] for t in r.json()["tranches"]] == [True, None, None]
    r = _post(admin, f"/api/v1/projects/{pid}/start", {})
    r = _post(admin, f"/api/v1/projects/{pid}/tranches/2/payments", {"amount": "1"})
    assert r.status_code == 409 and r.json()["code"] == "gate_pending"
    r = _post(admin, f"/api/v1/projects/{pid}/tranches/1/payments", {"amount": "-1"})
    assert r.status_code == 400
    r = _post(admin, f"/api/v1/projects/{pid}/tranches/1/payments", {"amount": "24000"})
    assert r.status_code == 201
    r = _post(admin, f"/api/v1/projects/{pid}/evaluated", {"stage": "midterm"})
    assert r.json()["status"] == "midterm_evaluated"
    r = _post(admin, f"/api/v1/projects/{pid}/close", {"renewed": True})
    assert r.status_code == 409  # renewal only after the final evaluation
    detail = admin.get(f"/api/v1/projects/{pid}").json()
    assert detail["burn"]["paid"] == "24000.00" and detail["burn"]["paid_percent"] == 30
    assert [e["to_status"] for e in detail["events"]][-1] == "midterm_evaluated"
    r = _post(admin, f"/api/v1/projects/{pid}/start", {})
    assert r.status_code == 409 and r.json()["code"] == "illegal_transition"


def test_api_refuses_bad_design_input(pw):
    street = pw.client("street")
    base = {"region_code": pw.street.code, "name": "项目", "domain": "family", "year": 2026,
            "budget": "1000"}
    for patch in ({"name": "<script>x</script>"}, {"budget": "-1"}, {"budget": "1e20"},
                  {"domain": "space"}, {"year": 1900}, {"target_groups": ["aliens"]},
                  {"leveraged": "-3"},
                  {"indicators": [{"name": "人次", "unit": "人次", "target": "-1"}]}):
        r = _post(street, "/api/v1/projects/", {**base, **patch})
        assert r.status_code == 400, (patch, r.content)
        assert set(r.json()["message"]) == {"zh", "en"}
    assert not ServiceProject.objects.unscoped().exists()
    ok = _post(street, "/api/v1/projects/", {**base, "budget": "１,０００.５０"})
    assert ok.status_code == 201 and ok.json()["budget"] == "1000.50"
    outside = _post(pw.client("street_b"), "/api/v1/projects/", base)
    assert outside.status_code == 404
    assert ServiceProject.objects.unscoped().filter(status=Status.DESIGNED).count() == 1


def test_api_picks_needs_and_traces_them(pw):
    import datetime as dt

    from wushe.needs import services as need_services

    need = need_services.need_intake(actor=pw.users["staff_a"], channel="window",
                                     region=pw.community_a, category="elderly_care",
                                     description="老人助餐", contact_phone="13700000001",
                                     target_group="elderly")
    project = pw.design(pw.community_a)
    street = pw.client("street")
    today = dt.date.today()
    found = street.get(f"/api/v1/projects/{project.pk}/need-candidates", {
        "start": (today - dt.timedelta(days=7)).isoformat(), "end": today.isoformat(),
        "category": "elderly_care", "target_group": "elderly"}).json()
    assert [n["id"] for n in found] == [need.pk]
    r = _post(street, f"/api/v1/projects/{project.pk}/needs", {"need_ids": [need.pk]})
    assert r.json()["origin_needs_total"] == 1
    served = pw.client("staff_a").get(f"/api/v1/projects/needs-for/{need.pk}").json()
    assert [p["id"] for p in served] == [project.pk]
    assert pw.client("street_b").get(f"/api/v1/projects/needs-for/{need.pk}").status_code == 404
    r = _post(pw.client("street_b"), f"/api/v1/projects/{project.pk}/needs",
              {"need_ids": [need.pk]})
    assert r.status_code == 404
    r = street.delete(f"/api/v1/projects/{project.pk}/needs/{need.pk}")
    assert r.status_code == 204
