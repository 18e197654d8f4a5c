"""POST /api/v1/hotline/orders and GET /api/v1/hotline/updates: signed by the platform; an order
becomes a need (contact encrypted) linked to its number; the same number again changes nothing;
hostile input is a bilingual 400 that writes nothing; no phone or name in a log line."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from wushe.audit.models import AuditEvent
from wushe.hotline.models import HotlineUpdate, Order, UpdateKind
from wushe.hotline.tests.conftest import order
from wushe.hotline.tests.fakes import FakePlatform
from wushe.needs.models import Need

pytestmark = pytest.mark.django_db


def counts() -> tuple[int, int, int, int]:
    return (Need.objects.unscoped().count(), Order.objects.unscoped().count(),
            HotlineUpdate.objects.count(), AuditEvent.objects.unscoped().count())


def test_an_order_becomes_a_need_linked_to_its_number(hotline: FakePlatform,
                                                      django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        r = hotline.send_order(Client(), order())
    assert r.status_code == 201, r.content
    body = r.json()
    assert body["created"] is True and body["number"] == "CQ12345-20260305-0001"
    o = Order.objects.unscoped().select_related("need").get(number=body["number"])
    need = o.need
    assert need.tracking_code == body["tracking_code"]
    assert (need.channel, need.state, need.category) == ("hotline", "accepted", "elderly_care")
    assert need.contact_phone == "13912345678" and need.contact_name == "王小明"
    assert "杨家坪正街1号3单元" in need.description and need.source_ref == f"12345:{o.number}"
    assert (o.channel, o.platform_category, o.region_path) == ("phone", "养老", need.region_path)
    with connection.cursor() as cur:  # stored encrypted, like any need's contact
        cur.execute("SELECT contact_phone, contact_name FROM needs_need WHERE id = %s", [need.pk])
        raw = " ".join(cur.fetchone())
    assert "13912345678" not in raw and "王小明" not in raw
    assert AuditEvent.objects.unscoped().filter(action="hotline.order.received").count() == 1
    # the 受理 goes back at once
    assert [u["status"] for u in hotline.received] == [UpdateKind.ACCEPTED]
    assert hotline.received[0]["order_number"] == o.number
    assert "13912345678" not in json.dumps(hotline.received, ensure_ascii=False)


def test_a_resent_order_changes_nothing_and_answers_the_same_need(hotline: FakePlatform) -> None:
    first = hotline.send_order(Client(), order()).json()
    before = counts()
    again = hotline.send_order(Client(), order(content="同一工单再次推送,内容不同也不改变"))
    assert again.status_code == 200
    assert again.json() == {**first, "created": False}
    assert counts() == before


def test_an_unknown_category_gets_the_default(hotline: FakePlatform) -> None:
    r = hotline.send_order(Client(), order(category="其他未列出的类别"))
    assert r.status_code == 201
    assert Need.objects.unscoped().get(tracking_code=r.json()["tracking_code"]).category == "other"


def test_a_community_by_name_is_resolved(hotline: FakePlatform) -> None:
    r = hotline.send_order(Client(), order(place={"address": "", "community": "西郊社区"}))
    assert r.status_code == 201, r.content
    need = Need.objects.unscoped().get(tracking_code=r.json()["tracking_code"])
    assert need.community.code == "500107001002"


HOSTILE = [
    ("bad number", {"number": "12345/../../x"}, "bad_order_number"),
    ("short number", {"number": "12"}, "bad_order_number"),
    ("non-ASCII number", {"number": "CQ１２３４５６"}, "bad_order_number"),
    ("non-ASCII digits in the phone", {"contact": {"name": "王小明", "phone": "١٣٩١٢٣٤٥٦٧٨"}},
     "not_ascii"),
    ("oversized content", {"content": "很长" * 1000}, "too_long"),
    ("unknown community", {"place": {"address": "x", "community": "500107009999"}},
     "unknown_community"),
    ("no community", {"place": {"address": "x"}}, "unknown_community"),
    ("bad time", {"received_at": "yesterday"}, "bad_time"),
    ("deadline before receipt", {"deadline": "2001-01-01T00:00:00+08:00"}, "bad_time"),
    ("bad channel", {"channel": "carrier pigeon"}, "bad_channel"),
]


@pytest.mark.parametrize(("case", "change", "code"), HOSTILE, ids=[c[0] for c in HOSTILE])
def test_hostile_input_is_a_bilingual_400_and_writes_nothing(
        hotline: FakePlatform, case: str, change: dict[str, Any], code: str) -> None:
    before = counts()
    r = hotline.send_order(Client(), order(**change))
    assert r.status_code == 400, (case, r.content)
    body = r.json()
    assert body["code"] == code and body["message"]["zh"] and body["message"]["en"]
    assert counts() == before
    assert hotline.received == []


def test_a_community_outside_the_platform_accounts_streets_is_unknown(
        hotline: FakePlatform, root: Any, street_b: Any) -> None:
    from wushe.regions.services import region_create

    region_create(actor=root, code="500107002001", name="黄桷坪社区", kind="community",
                  parent=street_b)
    before = counts()
    r = hotline.send_order(Client(), order(place={"address": "", "community": "500107002001"}))
    assert (r.status_code, r.json()["code"]) == (400, "unknown_community")
    assert counts() == before


def test_a_bad_signature_is_401_and_writes_nothing(hotline: FakePlatform) -> None:
    before = counts()
    r = hotline.send_order(Client(), order(), secret="not-the-secret")
    assert r.status_code == 401 and r.json()["message"]["en"]
    unsigned = Client().post("/api/v1/hotline/orders", order(), content_type="application/json")
    assert unsigned.status_code == 401
    assert counts() == before


def test_a_signed_body_cannot_be_swapped(hotline: FakePlatform) -> None:
    import time

    from wushe.hotline import signing

    ts = str(int(time.time()))
    sig = signing.signature(hotline.secret, ts, "POST", "/api/v1/hotline/orders", b"{}")
    r = Client().post("/api/v1/hotline/orders", json.dumps(order()),
                      content_type="application/json",
                      headers={signing.TIMESTAMP_HEADER: ts, signing.SIGNATURE_HEADER: sig})
    assert r.status_code == 401
    assert Order.objects.unscoped().count() == 0


def test_a_staff_token_does_not_open_the_exchange(hotline: FakePlatform, staff_a: Any) -> None:
    from wushe.accounts.services import token_create

    raw, _ = token_create(actor=staff_a)
    r = Client(headers={"Authorization": f"Bearer {raw}"}).post(
        "/api/v1/hotline/orders", order(), content_type="application/json")
    assert r.status_code == 401


def test_pull_updates_after_a_cursor(hotline: FakePlatform) -> None:
    hotline.send_order(Client(), order("CQ-A-000001"))
    hotline.send_order(Client(), order("CQ-A-000002"))
    first = hotline.pull(Client(), "limit=1").json()
    assert [u["update"]["order_number"] for u in first["updates"]] == ["CQ-A-000001"]
    rest = hotline.pull(Client(), f"since={first['next']}").json()
    assert [u["update"]["order_number"] for u in rest["updates"]] == ["CQ-A-000002"]
    assert hotline.pull(Client(), f"since={rest['next']}").json() == {
        "updates": [], "next": rest["next"]}
    for query in ("since=-1", "since=%EF%BC%91", "limit=0", "limit=501", "since=abc"):
        r = hotline.pull(Client(), query)
        assert r.status_code == 400 and r.json()["message"]["zh"], query


def test_no_phone_or_name_in_log_lines(hotline: FakePlatform, caplog: pytest.LogCaptureFixture,
                                       django_capture_on_commit_callbacks: Any) -> None:
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        hotline.send_order(Client(), order())
        hotline.send_order(Client(), order("CQ-B-000001", contact={"name": "李四",
                                                                   "phone": "１３９"}))
    assert caplog.records  # the push was logged
    text = "\n".join(r.getMessage() + str(r.args) for r in caplog.records)
    for secret in ("13912345678", "王小明", "李四", "杨家坪正街"):
        assert secret not in text
