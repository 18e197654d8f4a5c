"""The evaluation API: the whole loop, its refusals, scope, and the public survey."""

from __future__ import annotations

import json

from django.core.cache import cache

from wushe.evaluation.models import CommitteeMember


def _post(client, url, body, method="post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_the_whole_loop_through_the_api(ew) -> None:
    admin = ew.client("admin")
    project = ew.projects["p"]
    made = _post(admin, "/api/v1/evaluation/", {"project_id": project.pk, "stage": "midterm"})
    assert made.status_code == 201, made.content
    ev_id = made.json()["evaluation"]["id"]
    assert len(made.json()["indicators"]) == 7 and made.json()["survey_token"]
    again = _post(admin, "/api/v1/evaluation/", {"project_id": project.pk, "stage": "midterm"})
    assert again.status_code == 409 and set(again.json()["message"]) == {"zh", "en"}
    base = f"/api/v1/evaluation/{ev_id}"
    for party, user in (("purchaser", "admin"), ("street", "street"), ("expert", "evaluator")):
        r = _post(admin, f"{base}/members", {"party": party, "user_id": ew.users[user].pk})
        assert r.status_code == 201, r.content
    insider = ew.users["orgstaff"]
    refused = _post(admin, f"{base}/members", {"party": "expert", "user_id": insider.pk})
    assert refused.status_code == 400 and refused.json()["field"] == "user"  # cannot score
    from wushe.accounts.services import grant_add
    grant_add(actor=None, user=insider, role="evaluator", region=ew.district)
    conflict = _post(admin, f"{base}/members", {"party": "expert", "user_id": insider.pk})
    assert conflict.status_code == 400 and conflict.json()["code"] == "conflict_of_interest"
    rec = _post(admin, f"{base}/members", {"party": "recipients", "name": "居民代表"}).json()
    indicators = admin.get(base).json()["indicators"]
    sheet = {"scores": [{"indicator_id": i["id"], "score": str(float(i["max_score"]) * 0.8)}
                        for i in indicators]}
    seats = {m["party"]: m["id"] for m in admin.get(base).json()["members"]}
    # The evaluator scores its own seat; not the purchaser's.
    evaluator = ew.client("evaluator")
    mine = evaluator.get("/api/v1/evaluation/mine").json()
    assert [s["member_id"] for s in mine] == [seats["expert"]] and not mine[0]["scored"]
    assert _post(evaluator, f"{base}/members/{seats['purchaser']}/scores", sheet,
                 "put").status_code == 403
    bad = {"scores": [{**sheet["scores"][0], "score": "999"}] + sheet["scores"][1:]}
    refused = _post(evaluator, f"{base}/members/{seats['expert']}/scores", bad, "put")
    assert refused.status_code == 400 and refused.json()["field"].startswith("score_")
    ok = _post(evaluator, f"{base}/members/{seats['expert']}/scores", sheet, "put")
    assert ok.status_code == 200 and ok.json()["total"] == "80.00"
    for seat, who in ((seats["purchaser"], admin), (seats["street"], ew.client("street")),
                      (rec["id"], admin)):
        assert _post(who, f"{base}/members/{seat}/scores", sheet, "put").status_code == 200
    detail = admin.get(base).json()
    assert detail["evaluation"]["status"] == "scored"
    assert detail["evaluation"]["total"] == "80.00" and detail["evaluation"]["grade"] == "good"
    assert evaluator.get(base).json()["survey_token"] is None  # only for the district
    wrong = _post(admin, f"{base}/decision", {"decision": "eliminate"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "reason"
    done = _post(admin, f"{base}/decision", {"decision": "renew"})
    assert done.status_code == 200 and done.json()["evaluation"]["decision"] == "renew"
    listed = admin.get("/api/v1/evaluation/", {"decision": "renew"}).json()
    assert listed["count"] == 1 and listed["items"][0]["party_scores"]["expert"] == "80.00"
    assert ew.client("street_b").get(base).status_code == 404
    assert ew.client("street_b").get("/api/v1/evaluation/").json()["count"] == 0


def test_member_removal_and_indicator_sets(ew) -> None:
    admin = ew.client("admin")
    ev = ew.evaluation(ew.projects["p"])
    seat = CommitteeMember.objects.get(evaluation=ev, party="recipients")
    assert admin.delete(f"/api/v1/evaluation/{ev.pk}/members/{seat.pk}").status_code == 204
    assert not CommitteeMember.objects.filter(pk=seat.pk).exists()
    sets = admin.get("/api/v1/evaluation/indicator-sets").json()
    assert sets[0]["is_default"] and len(sets[0]["indicators"]) == 7
    made = _post(admin, "/api/v1/evaluation/indicator-sets", {
        "name": "养老项目专用指标", "indicators": [
            {"dimension": "process", "name": "过程", "max_score": "40"},
            {"dimension": "effectiveness", "name": "成效", "max_score": "60"}]})
    assert made.status_code == 201 and len(made.json()["indicators"]) == 2
    bad = _post(admin, "/api/v1/evaluation/indicator-sets", {
        "name": "坏", "indicators": [{"dimension": "nope", "name": "x", "max_score": "10"}]})
    assert bad.status_code == 400
    assert _post(ew.client("evaluator"), "/api/v1/evaluation/indicator-sets", {
        "name": "x", "indicators": []}).status_code == 403


def test_public_survey_api(ew, client, settings) -> None:
    ev = ew.evaluation(ew.projects["p"])
    url = f"/api/v1/public/evaluation/survey/{ev.survey_token}"
    shown = client.get(url).json()
    assert shown["open"] and len(shown["questions"]) == 5
    assert set(shown) == {"project_name", "organisation", "region", "stage", "open",
                          "questions", "scale"}
    assert _post(client, url, {"answers": [5, 5, 4, 4, 5]}).status_code == 201
    assert _post(client, url, {"answers": [5, 9, 4, 4, 5]}).status_code == 400
    assert client.get("/api/v1/public/evaluation/survey/nope").status_code == 404
    cache.clear()
    settings.WUSHE_EVALUATION_SURVEY_RATE = "2/h"
    assert _post(client, url, {"answers": [3, 3, 3, 3, 3]}).status_code == 201
    assert _post(client, url, {"answers": [3, 3, 3, 3, 3]}).status_code == 201
    limited = _post(client, url, {"answers": [3, 3, 3, 3, 3]})
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"
    cache.clear()
