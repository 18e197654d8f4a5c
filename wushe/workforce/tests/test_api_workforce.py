"""The workforce API: registration, updates, the ladder, staffing, and scope."""

from __future__ import annotations

import json

from wushe.web.tests.factories import id_number
from wushe.workforce.services import community_worker_create
from wushe.workforce.tests.conftest import community_worker_values


def _send(client, method, url, body):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_social_worker_over_the_api(ow, persons):
    client = ow.client("street")
    body = {"id_number": persons["a1"].id_number, "name": "陈晓", "site_id": ow.room_a.pk,
            "certificate_level": "assistant", "certificate_number": "A20215001000001",
            "employer_code": ow.orgs["a"].credit_code}
    made = _send(client, "post", "/api/v1/workforce/social-workers", body)
    assert made.status_code == 201, made.json()
    worker = made.json()
    assert worker["name"] == "陈*" and worker["region_code"] == ow.community_a.code
    assert "id_number" not in worker
    dup = _send(client, "post", "/api/v1/workforce/social-workers", body)
    assert dup.status_code == 409
    training = _send(client, "post", f"/api/v1/workforce/social-workers/{worker['id']}/trainings",
                     {"kind": "continuing", "title": "继续教育", "hours": "24", "on": "2025-04-01"})
    assert training.status_code == 201
    totals = client.get("/api/v1/workforce/training/totals", {"year": 2025}).json()["items"]
    assert totals == [{"worker_id": worker["id"], "name": "陈*", "hours": "24.0", "sessions": 1,
                       "met": False}]
    moved = _send(client, "put", f"/api/v1/workforce/social-workers/{worker['id']}",
                  {"region_code": ow.community_b.code, "certificate_level": "assistant",
                   "certificate_number": "A20215001000001"})
    assert moved.json()["site_id"] is None and moved.json()["region_code"] == ow.community_b.code
    other = ow.client("street_b")
    assert other.get(f"/api/v1/workforce/social-workers/{worker['id']}").status_code == 404
    assert other.get("/api/v1/workforce/social-workers").json()["items"] == []


def test_community_worker_over_the_api(ow, persons):
    client = ow.client("street")
    new = {"id_number": id_number(birth="19850505", seq="333"), "name": "韩梅",
           "residence_code": ow.community_a.code, "community_code": ow.community_b.code,
           "post": 2, "grade": 20, "hired_on": "2015-01-01"}
    refused = _send(client, "post", "/api/v1/workforce/community-workers", new)
    assert refused.status_code == 400 and refused.json()["field"] == "grade"
    made = _send(client, "post", "/api/v1/workforce/community-workers", {**new, "grade": 8})
    assert made.status_code == 201
    wid = made.json()["id"]
    regraded = _send(client, "post", f"/api/v1/workforce/community-workers/{wid}/grade",
                     {"post": 1, "grade": 9, "reason": "选任正职"})
    assert (regraded.json()["post"], regraded.json()["grade"]) == (1, 9)
    appraisal = _send(client, "post", f"/api/v1/workforce/community-workers/{wid}/appraisals",
                      {"year": 2024, "result": "excellent"})
    assert appraisal.status_code == 201
    ladder = client.get("/api/v1/workforce/ladder").json()
    assert ladder["grades"] == 21 and len(ladder["posts"]) == 3
    assert ow.client("org_staff").get("/api/v1/workforce/ladder").status_code == 403


def test_staffing_over_the_api(ow, persons):
    community_worker_create(actor=ow.users["admin"], person=persons["c1"],
                            community=ow.community_c, **community_worker_values())
    body = ow.client("admin").get("/api/v1/workforce/staffing", {"short": "true"}).json()
    assert body["required"] == 15 + 11 + 3 and body["actual"] == 1
    assert {c["code"] for c in body["communities"]} == {ow.community_a.code, ow.community_b.code,
                                                       ow.community_c.code}
    street = ow.client("street").get("/api/v1/workforce/staffing").json()
    assert street["required"] == 15 + 11 and len(street["streets"]) == 1
    assert ow.client("street").get("/api/v1/workforce/staffing",
                                   {"region": ow.community_c.code}).status_code == 404
