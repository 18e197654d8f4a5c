"""The public API: 点单 without an account, Idempotency-Key, rate limit, tracking without
personal data, and the resident's rating (1–2 reopens)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from wushe.needs import services
from wushe.needs.models import Need
from wushe.needs.tests.conftest import committee
from wushe.needs.workflow import State

BODY = {"category": "temporary_relief", "description": "家中突发火灾,生活用品全部烧毁,急需临时救助",
        "community": "500107001001", "contact_name": "欧阳娜娜", "contact_phone": "13912345678",
        "consent": True}


def post(body: dict[str, Any], **headers: str) -> Any:
    return Client().post("/api/v1/public/needs", body, content_type="application/json",
                         **headers)


def test_submit_without_an_account(community_a: Any) -> None:
    response = post(BODY)
    assert response.status_code == 201
    code = response.json()["tracking_code"]
    need = Need.objects.unscoped().get(tracking_code=code)
    assert need.channel == "online" and need.state == State.SUBMITTED
    assert set(response.json()) == {"tracking_code"}


def test_categories_are_listed_with_stable_codes(db: Any) -> None:
    codes = {c["code"] for c in Client().get("/api/v1/public/needs/categories").json()}
    assert {"temporary_relief", "legal_aid", "counselling", "elderly_care", "child_care",
            "dispute", "other"} <= codes


def test_bad_input_is_a_bilingual_400(community_a: Any) -> None:
    response = post({**BODY, "consent": False})
    assert response.status_code == 400
    assert response.json()["code"] == "consent_required"
    assert response.json()["message"]["zh"] and response.json()["message"]["en"]
    assert post({**BODY, "community": "12"}).json()["code"] == "unknown_community"
    assert post({"category": "other"}).status_code == 422
    assert Need.objects.unscoped().count() == 0


def test_idempotency_key_makes_retries_safe(community_a: Any) -> None:
    first = post(BODY, HTTP_IDEMPOTENCY_KEY="7f3c6a52-aaaa-bbbb-cccc-1234567890ab")
    retry = post(BODY, HTTP_IDEMPOTENCY_KEY="7f3c6a52-aaaa-bbbb-cccc-1234567890ab")
    assert first.status_code == 201 and retry.status_code == 200
    assert first.json()["tracking_code"] == retry.json()["tracking_code"]
    assert Need.objects.unscoped().count() == 1
    hijack = post({**BODY, "contact_phone": "13800000000"},
                  HTTP_IDEMPOTENCY_KEY="7f3c6a52-aaaa-bbbb-cccc-1234567890ab")
    assert hijack.status_code == 409 and "tracking_code" not in hijack.json()


def test_same_key_with_a_different_body_is_409_idempotency_conflict(community_a: Any) -> None:
    key = "0b9e1d2c-aaaa-bbbb-cccc-1234567890ab"
    first = post(BODY, HTTP_IDEMPOTENCY_KEY=key)
    changed = post({**BODY, "description": "楼道灯坏了一个月,老人晚上出门不方便"},
                   HTTP_IDEMPOTENCY_KEY=key)
    assert first.status_code == 201 and changed.status_code == 409
    body = changed.json()
    assert body["code"] == "idempotency_conflict" and "tracking_code" not in body
    assert body["message"]["zh"] and body["message"]["en"]
    need = Need.objects.unscoped().get()
    assert need.tracking_code == first.json()["tracking_code"]
    assert need.description == BODY["description"]
    assert post(BODY, HTTP_IDEMPOTENCY_KEY=key).status_code == 200  # the true retry still works


def test_rate_limited_per_ip(community_a: Any, settings: Any) -> None:
    settings.WUSHE_NEEDS_INTAKE_RATE = "3/h"
    codes = [post({**BODY, "contact_phone": f"1391234567{i}"}).status_code for i in range(5)]
    assert codes == [201, 201, 201, 429, 429]
    limited = post(BODY)
    assert limited.json()["code"] == "rate_limited" and limited.json()["message"]["en"]
    other_ip = post({**BODY, "contact_phone": "13700000000"}, REMOTE_ADDR="10.0.0.9")
    assert other_ip.status_code == 201
    assert Need.objects.unscoped().count() == 4


def test_tracking_shows_status_and_timeline_but_no_personal_data(community_a: Any,
                                                                 staff_a: Any) -> None:
    from wushe.people.services import person_create

    person = person_create(actor=staff_a, region=community_a, name="欧阳娜娜",
                           id_number="11010519491231002X", phone="13912345678")
    code = post(BODY).json()["tracking_code"]
    need = Need.objects.unscoped().get(tracking_code=code)
    Need.objects.unscoped().filter(pk=need.pk).update(requester=person)
    need = services.need_accept(actor=staff_a, need=need, note="已电话联系欧阳娜娜")
    services.need_dispatch(actor=staff_a, need=need, assignments=[committee(staff_a)])
    response = Client().get(f"/api/v1/public/needs/{code.lower().replace('-', '')}")
    assert response.status_code == 200
    body = response.json()
    assert body["tracking_code"] == code and body["status"] == "dispatched"
    assert [e["action"] for e in body["timeline"]] == ["submit", "accept", "dispatch"]
    assert body["timeline"][1]["label"]["zh"] == "社区已受理"
    text = response.content.decode()
    for secret in ("欧阳", "娜娜", "13912345678", "1391234", "5678", "11010519491231002X",
                   "火灾", "staff_a", "已电话联系"):
        assert secret not in text, secret


def test_tracking_an_unknown_code_is_404(db: Any) -> None:
    assert Client().get("/api/v1/public/needs/AAAA-BBBB-CCCC").status_code == 404
    response = Client().get("/api/v1/public/needs/short")
    assert response.status_code == 400 and response.json()["code"] == "tracking_code_format"


def _resolved(staff: Any) -> Need:
    code = post(BODY).json()["tracking_code"]
    need = Need.objects.unscoped().get(tracking_code=code)
    need = services.need_accept(actor=staff, need=need)
    services.need_dispatch(actor=staff, need=need, assignments=[committee(staff)])
    from wushe.needs.models import Assignment

    services.assignment_take(actor=staff, assignment=Assignment.objects.unscoped().get(need=need))
    need.refresh_from_db()
    return services.need_resolve(actor=staff, need=need, result="已发放临时救助金")


def test_rating_closes_the_need(community_a: Any, staff_a: Any) -> None:
    need = _resolved(staff_a)
    early = Client().post(f"/api/v1/public/needs/{need.tracking_code}/rating",
                          {"score": 9}, content_type="application/json")
    assert early.status_code == 400 and early.json()["code"] == "rating_range"
    response = Client().post(f"/api/v1/public/needs/{need.tracking_code}/rating",
                             {"score": 5, "comment": "很及时,谢谢"},
                             content_type="application/json")
    assert response.status_code == 200
    assert response.json() == {"tracking_code": need.tracking_code, "status": "closed",
                               "reopened": False}
    need.refresh_from_db()
    assert need.satisfaction == 5 and need.state == State.CLOSED
    twice = Client().post(f"/api/v1/public/needs/{need.tracking_code}/rating", {"score": 4},
                          content_type="application/json")
    assert twice.status_code == 409 and twice.json()["code"] == "illegal_transition"


@pytest.mark.parametrize("score", [1, 2])
def test_poor_rating_reopens_for_review(community_a: Any, staff_a: Any, score: int) -> None:
    need = _resolved(staff_a)
    response = Client().post(f"/api/v1/public/needs/{need.tracking_code}/rating",
                             {"score": score}, content_type="application/json")
    assert response.json()["reopened"] is True and response.json()["status"] == "accepted"
    need.refresh_from_db()
    assert need.state == State.ACCEPTED and need.reopened_count == 1
    assert need.satisfaction == score and need.resolved_at is None
    timeline = Client().get(f"/api/v1/public/needs/{need.tracking_code}").json()["timeline"]
    assert [e["action"] for e in timeline][-2:] == ["rate", "reopen"]


def test_rating_before_resolution_is_refused(community_a: Any) -> None:
    code = post(BODY).json()["tracking_code"]
    response = Client().post(f"/api/v1/public/needs/{code}/rating", {"score": 5},
                             content_type="application/json")
    assert response.status_code == 409


def test_public_idea(community_a: Any) -> None:
    response = Client().post("/api/v1/public/ideas", {
        "title": "在小区闲置空地建共享菜园", "body": "居民自愿参与,社区提供场地", "community": community_a.code,
        "name": "张三", "phone": "13912345678", "consent": True}, content_type="application/json")
    assert response.status_code == 201 and response.json()["code"].startswith("I")


@pytest.mark.parametrize("script", ["arabic_indic", "devanagari", "zero_width"])
@pytest.mark.parametrize("field", ["community", "contact_phone"])
def test_codes_and_phones_in_another_script_are_refused(community_a: Any, field: str,
                                                        script: str) -> None:
    from wushe.core.tests.scripts import REFUSED

    response = post({**BODY, field: REFUSED[script](BODY[field])})
    assert response.status_code == 400
    assert response.json()["code"] == "not_ascii"
    assert response.json()["message"]["zh"] and response.json()["message"]["en"]
    assert Need.objects.unscoped().count() == 0


def test_full_width_community_and_phone_are_read_as_ascii(community_a: Any) -> None:
    from wushe.core.tests.scripts import full_width

    response = post({**BODY, "community": full_width(BODY["community"]),
                     "contact_phone": full_width(BODY["contact_phone"])})
    assert response.status_code == 201
    assert Need.objects.unscoped().get().contact_phone == BODY["contact_phone"]


def test_a_tracking_code_with_a_zero_width_space_is_refused(community_a: Any) -> None:
    from wushe.core.tests.scripts import ZWSP, full_width

    code = post(BODY).json()["tracking_code"]
    client = Client()
    assert client.get(f"/api/v1/public/needs/{full_width(code)}").status_code == 200
    hidden = client.get(f"/api/v1/public/needs/{code[:5]}{ZWSP}{code[5:]}")
    assert hidden.status_code == 400 and hidden.json()["code"] == "not_ascii"
