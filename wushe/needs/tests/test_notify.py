"""SMS to residents (issue #17, part C): opt in at intake, prove the phone with a code, then one
SMS per state change with the tracking code, the state and the link only."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from wushe.audit.models import AuditEvent
from wushe.needs import services
from wushe.needs.models import Assignment, Need, NeedSubscription
from wushe.needs.tests.conftest import committee
from wushe.notifications.channels import outbox_lines
from wushe.notifications.models import Delivery

PHONE = "13912345678"
BODY = {"category": "temporary_relief", "description": "家中突发火灾,生活用品全部烧毁,急需临时救助",
        "community": "500107001001", "contact_name": "欧阳娜娜", "contact_phone": PHONE,
        "consent": True}
PERSONAL = ("欧阳", "娜娜", "火灾", "生活用品", "临时救助", PHONE, PHONE[-4:], "杨坪")


@pytest.fixture(autouse=True)
def _outbox(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path  # the file SMS backend writes DATA_DIR/outbox/sms.jsonl
    settings.WUSHE_SMS_BACKEND = "file"
    settings.WUSHE_SMS_PER_PHONE_PER_DAY = 20
    settings.WUSHE_NEEDS_SMS_QUIET_HOURS = False


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Iterator[Any]:
    """Run the after-commit work (the step hooks, the delivery tasks) as a real commit would."""
    def call(fn: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)
    yield call


def sms() -> list[dict[str, Any]]:
    return outbox_lines("sms")


def api(path: str, body: dict[str, Any] | None = None) -> Any:
    return Client().post(path, body or {}, content_type="application/json")


def submit(run: Any, **extra: Any) -> Need:
    response = run(api, "/api/v1/public/needs", {**BODY, **extra})
    assert response.status_code == 201, response.content
    return Need.objects.unscoped().get(tracking_code=response.json()["tracking_code"])


def last_code() -> str:
    found = re.search(r"验证码 (\d{6})", sms()[-1]["text"])
    assert found is not None
    return found.group(1)


def confirm(run: Any, need: Need, code: str) -> Any:
    return run(api, f"/api/v1/public/needs/{need.tracking_code}/confirm-sms", {"code": code})


def move_to_resolved(run: Any, staff: Any, need: Need) -> Need:
    need = run(services.need_accept, actor=staff, need=need)
    run(services.need_dispatch, actor=staff, need=need, assignments=[committee(staff)])
    run(services.assignment_take, actor=staff,
        assignment=Assignment.objects.unscoped().get(need=need))
    need.refresh_from_db()
    return run(services.need_resolve, actor=staff, need=need, result="已发放临时救助金")


def test_opt_in_sends_exactly_one_code_and_nothing_until_confirmed(community_a: Any,
                                                                     staff_a: Any,
                                                                     run: Any) -> None:
    need = submit(run, notify=True)
    lines = sms()
    assert len(lines) == 1
    text = lines[0]["text"]
    assert need.tracking_code in text and re.search(r"验证码 \d{6}", text)
    assert not any(word in text for word in PERSONAL)
    assert lines[0]["to"] != PHONE and PHONE not in str(lines[0])  # the file masks the number
    sub = NeedSubscription.objects.get(need=need)
    assert sub.sends == 1 and not sub.confirmed and last_code() not in sub.code_hash
    # Once sent, the outbox row (which district admins read) no longer holds the code.
    sent = Delivery.objects.get(ref=need.pk, resolver="needs.contact")
    assert sent.state == "sent" and last_code() not in sent.text and "验证码 ••••••" in sent.text
    # The phone was decrypted to send it: logged like an unmasked view, purpose notification.
    unmasked = AuditEvent.objects.unscoped().filter(action="needs.need.unmasked", target_id=str(need.pk))
    assert [e.data["purpose"] for e in unmasked] == ["notification"]
    move_to_resolved(run, staff_a, need)
    assert len(sms()) == 1  # unconfirmed: nothing but the code
    assert Delivery.objects.filter(ref=need.pk, resolver="needs.contact").count() == 1


def test_right_code_confirms_then_each_step_sends_the_code_state_and_link_only(
        community_a: Any, staff_a: Any, run: Any) -> None:
    need = submit(run, notify=True)
    response = confirm(run, need, last_code())
    assert response.status_code == 200 and response.json()["confirmed"] is True
    assert AuditEvent.objects.unscoped().filter(action="needs.subscription.confirmed").count() == 1
    move_to_resolved(run, staff_a, need)
    updates = sms()[1:]
    assert [line["text"].split(":")[1].split("。")[0].split(",")[0] for line in updates[:3]] \
        == ["已受理", "已派单", "已接单"]
    assert len(updates) == 4 and "已办结" in updates[-1]["text"]
    for line in updates:
        assert need.tracking_code in line["text"]
        assert f"/needs/track/{need.tracking_code}" in line["text"]
        assert line["text"].count("http") == 1
        assert not any(word in line["text"] for word in PERSONAL), line["text"]
    assert updates[-1]["text"].endswith("#rate")  # where the resident rates
    # A retried hook (the same event) sends nothing twice: keys are per event.
    keys = list(Delivery.objects.filter(kind="needs.need.state_changed").values_list("key", flat=True))
    assert len(keys) == len(set(keys)) == 4


def test_a_need_without_notify_gets_nothing(community_a: Any, staff_a: Any, run: Any) -> None:
    need = submit(run)
    move_to_resolved(run, staff_a, need)
    assert sms() == []
    assert not NeedSubscription.objects.exists() and not Delivery.objects.exists()
    # Nor can anyone ask for a code or confirm one for it.
    assert api(f"/api/v1/public/needs/{need.tracking_code}/resend-sms").status_code == 404
    assert confirm(run, need, "123456").status_code == 404


def test_the_resolver_has_no_address_for_a_need_without_a_subscription(community_a: Any,
                                                                       run: Any) -> None:
    from wushe.needs.notify import need_contact

    plain = submit(run)
    subscribed = submit(run, notify=True, contact_phone="13800000001")
    assert need_contact(plain.pk) is None
    address = need_contact(subscribed.pk)
    assert address is not None and address.value == "13800000001"
    assert address.phone_bidx == subscribed.contact_phone_bidx


def test_wrong_code_is_counted_and_five_lock(community_a: Any, staff_a: Any, run: Any) -> None:
    need = submit(run, notify=True)
    right = last_code()
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        response = confirm(run, need, wrong)
        assert response.status_code == 400
        assert response.json()["code"] == "sms_code_wrong"
        assert str(left) in response.json()["message"]["zh"]
        assert str(left) in response.json()["message"]["en"]
    response = confirm(run, need, wrong)
    assert response.status_code == 409 and response.json()["code"] == "sms_locked"
    # Locked: even the right code is refused, no new code, and no updates.
    assert confirm(run, need, right).json()["code"] == "sms_locked"
    assert api(f"/api/v1/public/needs/{need.tracking_code}/resend-sms").status_code == 409
    sub = NeedSubscription.objects.get(need=need)
    assert sub.tries == 5 and not sub.confirmed and sub.locked
    # Each wrong try is audited with its count, and the lock once, after the fifth.
    events = list(AuditEvent.objects.unscoped().filter(
        target_id=str(need.pk), action__in=["needs.subscription.code_wrong",
                                            "needs.subscription.locked"])
        .order_by("id").values_list("action", "data"))
    assert [a for a, _d in events] == ["needs.subscription.code_wrong"] * 5 + [
        "needs.subscription.locked"]
    assert [d["tries"] for _a, d in events[:5]] == [1, 2, 3, 4, 5]
    move_to_resolved(run, staff_a, need)
    assert len(sms()) == 1


def test_expired_code_says_so_and_a_new_one_works(community_a: Any, run: Any) -> None:
    need = submit(run, notify=True)
    old = last_code()
    NeedSubscription.objects.filter(need=need).update(
        code_sent_at=timezone.now() - dt.timedelta(minutes=11))
    response = confirm(run, need, old)
    assert response.status_code == 400 and response.json()["code"] == "sms_code_expired"
    assert NeedSubscription.objects.get(need=need).tries == 0  # not a wrong guess
    resent = run(api, f"/api/v1/public/needs/{need.tracking_code}/resend-sms")
    assert resent.status_code == 200 and resent.json()["codes_left"] == 1
    assert len(sms()) == 2
    assert confirm(run, need, last_code()).json()["confirmed"] is True


def test_codes_are_capped_three_a_need_one_a_minute(community_a: Any, run: Any) -> None:
    need = submit(run, notify=True)
    url = f"/api/v1/public/needs/{need.tracking_code}/resend-sms"
    too_soon = run(api, url)
    assert too_soon.status_code == 409 and too_soon.json()["code"] == "sms_code_too_soon"
    for _ in range(2):
        NeedSubscription.objects.filter(need=need).update(
            code_sent_at=timezone.now() - dt.timedelta(seconds=61))
        assert run(api, url).status_code == 200
    NeedSubscription.objects.filter(need=need).update(
        code_sent_at=timezone.now() - dt.timedelta(seconds=61))
    capped = run(api, url)
    assert capped.status_code == 409 and capped.json()["code"] == "sms_code_limit"
    assert len(sms()) == 3 and NeedSubscription.objects.get(need=need).sends == 3


@pytest.mark.parametrize("code", ["١٢٣٤٥٦", "12345", "1234567", "12a456", "123\u200b456", ""])
def test_a_malformed_code_is_a_bilingual_400_and_changes_nothing(community_a: Any, run: Any,
                                                                 code: str) -> None:
    need = submit(run, notify=True)
    events = AuditEvent.objects.unscoped().count()
    response = confirm(run, need, code)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] in ("not_ascii", "sms_code_format")
    assert body["message"]["zh"] and body["message"]["en"]
    sub = NeedSubscription.objects.get(need=need)
    assert sub.tries == 0 and not sub.confirmed and AuditEvent.objects.unscoped().count() == events


def test_full_width_digits_are_read_as_ascii(community_a: Any, run: Any) -> None:
    need = submit(run, notify=True)
    typed = last_code().translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"})
    assert confirm(run, need, typed).json()["confirmed"] is True


def test_confirm_for_an_unknown_tracking_code_is_404(community_a: Any, run: Any) -> None:
    response = confirm(run, Need(tracking_code="2222-3333-4444"), "123456")
    assert response.status_code == 404


def test_notify_must_be_a_boolean(community_a: Any, run: Any) -> None:
    from wushe.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed):
        services.need_submit_public(category="other", description="需要帮忙修水管", community=
                                    "500107001001", contact_name="王小明",
                                    contact_phone=PHONE, consent=True, notify="yes")
    assert not Need.objects.unscoped().exists()


def test_a_replayed_submission_sends_no_second_code(community_a: Any, run: Any) -> None:
    key = "5b0e1c2a-aaaa-bbbb-cccc-1234567890ab"
    first = run(Client().post, "/api/v1/public/needs", {**BODY, "notify": True},
                content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    again = run(Client().post, "/api/v1/public/needs", {**BODY, "notify": True},
                content_type="application/json", HTTP_IDEMPOTENCY_KEY=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert len(sms()) == 1 and NeedSubscription.objects.count() == 1


def test_a_subscriber_of_a_merged_need_hears_of_the_need_it_joined(community_a: Any,
                                                                     staff_a: Any,
                                                                     run: Any) -> None:
    need = submit(run, notify=True)
    assert confirm(run, need, last_code()).status_code == 200
    other = submit(run, contact_phone="13700000000")
    other = run(services.need_accept, actor=staff_a, need=other)
    run(services.need_merge, actor=staff_a, need=need, into=other)
    run(services.need_dispatch, actor=staff_a, need=other, assignments=[committee(staff_a)])
    texts = [line["text"] for line in sms()[1:]]
    assert any("已派单" in t and need.tracking_code in t for t in texts)
    assert not any(other.tracking_code in t for t in texts)
