"""The organisations API: the same rules and the same scope as the pages."""

from __future__ import annotations

import json

from wushe.orgs.tests.factories import credit_code


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_list_and_detail_are_scoped(ow):
    staff = ow.client("org_staff")
    rows = staff.get("/api/v1/orgs/").json()["items"]
    assert [r["name"] for r in rows] == [ow.orgs["a"].name]
    assert staff.get(f"/api/v1/orgs/{ow.orgs['b'].pk}").status_code == 404
    body = staff.get(f"/api/v1/orgs/{ow.orgs['c'].pk}").json()
    assert body["code"] == "not_found" and set(body["message"]) == {"zh", "en"}
    street = ow.client("street").get("/api/v1/orgs/", {"status": "filed"}).json()
    assert {r["name"] for r in street["items"]} == {"杨坪社区舞蹈队"}
    assert ow.client("volunteer").get("/api/v1/orgs/").json()["items"] == []


def test_create_update_and_transition(ow):
    client = ow.client("street")
    bad = _post(client, "/api/v1/orgs/", {"status": "registered", "region_code": ow.street.code,
                                          "name": "错码", "category": "hub",
                                          "credit_code": "51500107MJ000000X",
                                          "registered_on": "2020-01-01"})
    assert bad.status_code == 400 and bad.json()["field"] == "credit_code"
    made = _post(client, "/api/v1/orgs/", {"status": "registered", "region_code": ow.street.code,
                                           "name": "新登记组织", "category": "hub",
                                           "credit_code": credit_code(4242),
                                           "registered_on": "2020-01-01",
                                           "contact_phone": "13800138000"})
    assert made.status_code == 201 and made.json()["contact_phone"] == "138****8000"
    org_id = made.json()["id"]
    patched = client.patch(f"/api/v1/orgs/{org_id}", json.dumps({"venue": "新场地"}),
                           content_type="application/json")
    assert patched.json()["venue"] == "新场地"
    illegal = _post(client, f"/api/v1/orgs/{org_id}/status", {"to": "filed"})
    assert illegal.status_code == 409 and illegal.json()["code"] == "illegal_transition"
    done = _post(client, f"/api/v1/orgs/{org_id}/status", {"to": "suspended", "reason": "停业整顿"})
    assert done.json()["status"] == "suspended"
    history = client.get(f"/api/v1/orgs/{org_id}/history").json()
    assert [h["to_status"] for h in history] == ["registered", "suspended"]
    outside = _post(client, "/api/v1/orgs/", {"status": "filed", "region_code": ow.community_c.code,
                                              "name": "越界", "person_in_charge": "张三",
                                              "venue": "x", "activity_area": "x"})
    assert outside.status_code == 404


def test_org_staff_edit_own_and_unmask_with_purpose(ow):
    staff = ow.client("org_staff")
    own = ow.orgs["a"].pk
    response = staff.patch(f"/api/v1/orgs/{own}", json.dumps({"contact_phone": "13911112222"}),
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["contact_phone"] == "139****2222"
    forbidden = staff.patch(f"/api/v1/orgs/{own}", json.dumps({"name": "改名"}),
                            content_type="application/json")
    assert forbidden.status_code == 400 and forbidden.json()["field"] == "name"
    assert staff.patch(f"/api/v1/orgs/{ow.orgs['b'].pk}", json.dumps({"venue": "x"}),
                       content_type="application/json").status_code == 404
    shown = _post(staff, f"/api/v1/orgs/{own}/contact/unmask", {"purpose": "核对联系方式"})
    assert shown.json() == {"field": "contact_phone", "value": "13911112222"}
    assert _post(staff, f"/api/v1/orgs/{own}/ratings", {"score": "960"}).status_code == 403
    assert [o["id"] for o in staff.get("/api/v1/orgs/mine/list").json()] == [own]


def test_ratings_members_projects_over_the_api(ow):
    admin = ow.client("admin")
    org = ow.orgs["a"].pk
    assert admin.get(f"/api/v1/orgs/{org}/eligibility").json()["eligible"] is True
    rated = _post(admin, f"/api/v1/orgs/{org}/ratings", {"score": "955"})
    assert rated.status_code == 201 and rated.json()["grade"] == "5A"
    assert admin.get(f"/api/v1/orgs/{org}").json()["current_grade"] == "5A"
    filed = ow.orgs["filed_a"].pk
    reasons = admin.get(f"/api/v1/orgs/{filed}/eligibility").json()
    assert reasons["eligible"] is False and reasons["reasons"][0]["zh"]
    member = _post(admin, f"/api/v1/orgs/{filed}/members", {"name": "李秀英", "post": "队长"})
    assert member.json()["name"] == "李*英"
    assert admin.delete(f"/api/v1/orgs/members/{member.json()['id']}").status_code == 204
    project = _post(admin, f"/api/v1/orgs/{org}/projects", {"name": "黄桷义工", "beneficiaries": 120})
    assert project.status_code == 201
    assert _post(admin, f"/api/v1/orgs/{org}/projects", {"name": "<script>x</script>"}).status_code == 400


def test_incubation_and_capacity_over_the_api(ow):
    client = ow.client("street")
    org = ow.orgs["b"].pk
    started = _post(client, f"/api/v1/orgs/{org}/incubation", {"base_id": ow.incubator.pk,
                                                               "mentor": "周老师"})
    assert started.status_code == 201
    inc = started.json()["id"]
    issue = _post(client, f"/api/v1/orgs/incubations/{inc}/issues",
                  {"area": "finance", "description": "财务制度缺失"})
    assert issue.status_code == 201
    scores = {"governance": "70", "team": "70", "finance": "50", "projects": "70",
              "brand": "70", "outreach": "70", "expertise": "70"}
    assessed = _post(client, f"/api/v1/orgs/{org}/assessments",
                     {"assessor": "周老师", "scores": scores})
    assert assessed.json()["weakest"] == "finance"
    for stage in ("cultivating", "evaluating"):
        assert _post(client, f"/api/v1/orgs/incubations/{inc}/stage", {"stage": stage}).status_code == 200
    blocked = _post(client, f"/api/v1/orgs/incubations/{inc}/stage", {"stage": "graduated"})
    assert blocked.status_code == 400 and "1" in blocked.json()["message"]["en"]
    _post(client, f"/api/v1/orgs/issues/{issue.json()['id']}/resolve", {"resolution": "建立制度"})
    graduated = _post(client, f"/api/v1/orgs/incubations/{inc}/stage", {"stage": "graduated"})
    assert graduated.json()["stage"] == "graduated"
    weakest = client.get("/api/v1/orgs/capacity/weakest", {"region": ow.street.code}).json()
    assert weakest["organisations"] == 1 and weakest["areas"][0]["area"] == "finance"
    assert ow.client("street_b").get(f"/api/v1/orgs/incubations/{inc}").status_code == 404
