"""The staff API: the queue, the whole loop through the endpoints, suggestions with reasons,
and scope — another community's need cannot be seen, dispatched or even confirmed to exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from wushe.needs.models import Need
from wushe.needs.tests.conftest import bearer
from wushe.needs.workflow import State


def api(method: str, url: str, auth: dict[str, str], body: Any = None) -> Any:
    call = getattr(Client(), method)
    if body is None:
        return call(url, **auth)
    return call(url, body, content_type="application/json", **auth)


def test_the_whole_loop_through_the_api(submit: Any, staff_a: Any, worker_a: Any,
                                        community_a: Any) -> None:
    auth = bearer("staff_a")
    need = submit(community_a, category="counselling", description="老伴去世后情绪低落")
    base = f"/api/v1/needs/{need.pk}"
    queue = api("get", "/api/v1/needs/?bucket=todo", auth).json()
    assert [n["tracking_code"] for n in queue["items"]] == [need.tracking_code]
    assert queue["items"][0]["contact_name"] == "王*明"
    assert api("post", f"{base}/accept", auth, {"note": "已受理"}).json()["state"] == "accepted"
    suggestions = api("get", f"{base}/suggestions", auth).json()
    societies = {s["society"] for s in suggestions}
    assert {"committee", "social_worker"} <= societies
    assert all(s["reasons"] and s["reasons"][0]["zh"] for s in suggestions)
    worker = next(s for s in suggestions if s["society"] == "social_worker")
    body = {"assignments": [{"society": "social_worker", "object_id": worker["object_id"],
                             "role": "lead"},
                            {"society": "committee", "object_id": str(staff_a.pk),
                             "role": "support"}]}
    assert api("post", f"{base}/dispatch", auth, body).json()["state"] == "dispatched"
    assignments = api("get", f"{base}/assignments", auth).json()
    lead = next(a for a in assignments if a["role"] == "lead")
    support = next(a for a in assignments if a["role"] == "support")
    # the social worker takes the lead part with its own token
    worker_auth = bearer("worker_a")
    taken = api("post", f"/api/v1/needs/assignments/{lead['id']}/take", worker_auth)
    assert taken.status_code == 200 and taken.json()["state"] == "taken"
    api("post", f"/api/v1/needs/assignments/{support['id']}/take", auth)
    assert api("post", f"{base}/handle", worker_auth, {"note": "第一次面谈"}).json()["state"] \
        == "in_progress"
    resolved = api("post", f"{base}/resolve", worker_auth, {"result": "三次个案辅导,情绪好转"})
    assert resolved.json()["state"] == "resolved"
    assert resolved.json()["societies"] == ["committee", "social_worker"]
    followed = api("post", f"{base}/follow-up", auth, {"method": "call", "score": 5,
                                                      "note": "满意"})
    assert followed.json()["state"] == "closed" and followed.json()["satisfaction"] == 5
    events = [e["action"] for e in api("get", f"{base}/events", auth).json()]
    assert events == ["submit", "accept", "dispatch", "take", "support_take", "handle",
                      "resolve", "follow_up", "rate"]


def test_illegal_transition_is_a_409_and_changes_nothing(submit: Any, staff_a: Any,
                                                         community_a: Any) -> None:
    need = submit(community_a)
    response = api("post", f"/api/v1/needs/{need.pk}/resolve", bearer("staff_a"),
                   {"result": "直接办结"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_transition"
    assert "待受理" in body["message"]["zh"] and "awaiting acceptance" in body["message"]["en"]
    need.refresh_from_db()
    assert need.state == State.SUBMITTED and need.result == ""


def test_staff_intake_with_duplicate_warning(staff_a: Any, community_a: Any) -> None:
    auth = bearer("staff_a")
    body = {"channel": "window", "region": community_a.code, "category": "dispute",
            "description": "邻居噪音扰民", "contact_name": "赵六", "contact_phone": "13700001111"}
    assert api("post", "/api/v1/needs/", auth, body).status_code == 201
    dup = api("post", "/api/v1/needs/", auth, body)
    assert dup.status_code == 409 and dup.json()["code"] == "possible_duplicate"
    assert dup.json()["details"][0]["tracking_code"]
    assert api("post", "/api/v1/needs/", auth, {**body, "confirm_duplicate": True}).status_code \
        == 201


def test_another_communitys_need_does_not_exist_for_community_staff(
        submit: Any, staff_a: Any, staff_b: Any, community_b: Any) -> None:
    need = submit(community_b)
    auth = bearer("staff_a")
    missing = api("get", "/api/v1/needs/999999", auth)
    for url in (f"/api/v1/needs/{need.pk}", f"/api/v1/needs/{need.pk}/events",
                f"/api/v1/needs/{need.pk}/assignments", f"/api/v1/needs/{need.pk}/suggestions"):
        response = api("get", url, auth)
        assert response.status_code == 404, url
        assert response.json() == missing.json()
    for action, body in (("accept", {}), ("decline", {"reason": "x"}),
                         ("dispatch", {"assignments": [{"society": "committee",
                                                        "object_id": str(staff_a.pk),
                                                        "role": "lead"}]}),
                         ("escalate", {"reason": "x"}), ("notes", {"note": "x"}),
                         ("unmask", {"field": "contact_phone", "purpose": "回访居民"})):
        response = api("post", f"/api/v1/needs/{need.pk}/{action}", auth, body)
        assert response.status_code == 404, action
    listed = api("get", "/api/v1/needs/?bucket=all", auth).json()
    assert listed["count"] == 0
    by_code = api("get", f"/api/v1/needs/?bucket=all&q={need.tracking_code}", auth).json()
    assert by_code["count"] == 0
    need.refresh_from_db()
    assert need.state == State.SUBMITTED
    # its own community sees it
    assert staff_b.pk and api("get", f"/api/v1/needs/{need.pk}", bearer("staff_b")) \
        .status_code == 200


def test_street_and_district_see_the_queue_of_their_area(submit: Any, street_user: Any,
                                                         district_user: Any, community_a: Any,
                                                         community_b: Any) -> None:
    submit(community_a)
    submit(community_b)
    assert api("get", "/api/v1/needs/", bearer("street_user")).json()["count"] == 2
    assert api("get", "/api/v1/needs/", bearer("district_user")).json()["count"] == 2
    only_b = api("get", f"/api/v1/needs/?region={community_b.code}", bearer("street_user"))
    assert only_b.json()["count"] == 1


def test_minors_needs_are_hidden_from_roles_that_do_not_work_with_children(
        submit: Any, make_user: Any, community_a: Any, staff_a: Any) -> None:
    child = submit(community_a, category="child_care", target_group="minor")
    adult = submit(community_a)
    make_user("team_leader", community_a, "leader_a")
    make_user("auditor", community_a.parent, "auditor_x")
    for username in ("leader_a", "auditor_x"):
        auth = bearer(username)
        ids = [n["id"] for n in api("get", "/api/v1/needs/?bucket=all", auth).json()["items"]]
        assert ids == [adult.pk], username
        assert api("get", f"/api/v1/needs/{child.pk}", auth).status_code == 404
    assert api("get", f"/api/v1/needs/{child.pk}", bearer("staff_a")).status_code == 200


def test_unmask_needs_a_purpose_and_is_recorded(submit: Any, staff_a: Any,
                                                community_a: Any) -> None:
    from wushe.audit.models import PiiAccess

    need = submit(community_a)
    auth = bearer("staff_a")
    bad = api("post", f"/api/v1/needs/{need.pk}/unmask", auth,
              {"field": "contact_phone", "purpose": "看"})
    assert bad.status_code == 400
    ok = api("post", f"/api/v1/needs/{need.pk}/unmask", auth,
             {"field": "contact_phone", "purpose": "电话回访居民"})
    assert ok.json()["value"] == need.contact_phone
    assert PiiAccess.objects.unscoped().filter(subject_id=str(need.pk)).count() == 1
    detail = api("get", f"/api/v1/needs/{need.pk}", auth).json()
    assert detail["contact_phone"] != need.contact_phone and "*" in detail["contact_phone"]


@pytest.mark.parametrize("role", ["team_leader", "social_worker"])
def test_read_only_roles_cannot_act(submit: Any, make_user: Any, community_a: Any,
                                    role: str) -> None:
    need = submit(community_a)
    make_user(role, community_a, "reader")
    auth = bearer("reader")
    assert api("get", f"/api/v1/needs/{need.pk}", auth).status_code == 200
    assert api("post", f"/api/v1/needs/{need.pk}/accept", auth, {}).status_code == 403
    assert api("get", f"/api/v1/needs/{need.pk}/suggestions", auth).status_code == 403
    assert Need.objects.unscoped().get(pk=need.pk).state == State.SUBMITTED


def test_merge_through_the_api(submit: Any, staff_a: Any, community_a: Any) -> None:
    first = submit(community_a)
    second = submit(community_a)
    auth = bearer("staff_a")
    response = api("post", f"/api/v1/needs/{second.pk}/merge", auth,
                   {"reason": "同一件事", "into": first.pk})
    assert response.json()["state"] == "merged"
    assert response.json()["merged_into"] == first.tracking_code
    public = Client().get(f"/api/v1/public/needs/{second.tracking_code}").json()
    assert public["merged"] is True and public["status"] == "submitted"


def test_openapi_lists_the_public_and_staff_endpoints(db: Any) -> None:
    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/public/needs" in paths
    assert "/api/v1/public/needs/{tracking_code}/rating" in paths
    assert "/api/v1/needs/{need_id}/suggestions" in paths
    assert "/api/v1/residents/profiles" in paths
