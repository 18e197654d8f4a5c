"""The delivery engine: notify_accounts / notify_address, the deliver task's claim, retries and
backoff, unknown outcomes, quiet hours, the digest, the per-phone cap; against the fake gateway
on 127.0.0.1 and the file outbox."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from wushe.audit.models import AuditEvent
from wushe.notifications.audit_codes import NotificationsAction
from wushe.notifications.delivery import UNKNOWN_NOT_RETRIED, deliver_due, deliver_one
from wushe.notifications.models import (
    Delivery,
    DeliveryAttempt,
    DeliveryState,
    Notification,
    Preference,
    SmsQuota,
)
from wushe.notifications.send import Address, notify_accounts, notify_address, resolver
from wushe.notifications.tests.fakes import FakeSmsGateway

SH = ZoneInfo("Asia/Shanghai")
PHONE = "13912345678"
ID_NUMBER = "500107198001011234"
NAME = "张三丰"


def local(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A past moment (so that real-time task claims see it as due), Shanghai time."""
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=SH)


@resolver("tests.phone")
def _test_phone(ref: int) -> Address | None:
    return Address(value=PHONE) if ref else None


@resolver("tests.phone2")
def _test_phone2(ref: int) -> Address | None:
    return Address(value="13800000000")


@pytest.fixture
def outbox(settings: Any, tmp_path: Any, db: Any) -> Any:
    settings.DATA_DIR = tmp_path
    settings.WUSHE_SMS_BACKEND = "file"
    settings.WUSHE_CHAT_BACKEND = "file"
    return tmp_path / "outbox"


@pytest.fixture
def gateway(settings: Any, outbox: Any) -> Iterator[FakeSmsGateway]:
    with FakeSmsGateway(hang_seconds=2.0) as gw:
        settings.WUSHE_SMS_BACKEND = "http"
        settings.WUSHE_SMS_URL = gw.url
        settings.WUSHE_SMS_TIMEOUT = 1
        yield gw


def sms_lines(outbox: Any) -> list[dict[str, Any]]:
    path = outbox / "sms.jsonl"
    return [json.loads(x) for x in path.read_text().splitlines()] if path.exists() else []


def pref(user: Any, **kw: Any) -> Preference:
    defaults = {"sms": True, "phone": PHONE, "quiet_hours": True, "digest": False}
    defaults.update(kw)
    return Preference.objects.create(user=user, **defaults)


# --- notify_accounts ---------------------------------------------------------------------------

def test_no_preference_is_in_app_only(staff_a: Any, outbox: Any) -> None:
    made = notify_accounts(users=[staff_a], kind="needs.dispatch", key="n:1", title="新工单",
                           link="/needs/1/", now=local(2, 10))
    assert [n.recipient_id for n in made] == [staff_a.pk]
    assert Delivery.objects.count() == 0


def test_repeated_key_does_nothing(staff_a: Any, outbox: Any,
                                   django_capture_on_commit_callbacks: Any) -> None:
    pref(staff_a, email=True)
    with django_capture_on_commit_callbacks(execute=True):
        first = notify_accounts(users=[staff_a], kind="k", key="n:1", title="新工单",
                                link="/needs/", now=local(2, 10))
        again = notify_accounts(users=[staff_a], kind="k", key="n:1", title="新工单",
                                link="/needs/", now=local(2, 10))
    assert len(first) == 1 and again == []
    assert Notification.objects.count() == 1
    assert sorted(Delivery.objects.values_list("channel", flat=True)) == ["email", "sms"]
    assert len(sms_lines(outbox)) == 1


def test_staff_sms_is_sent_once_with_the_absolute_link_and_the_unmask_audited(
        staff_a: Any, outbox: Any, settings: Any,
        django_capture_on_commit_callbacks: Any, mailoutbox: Any) -> None:
    settings.WUSHE_PUBLIC_BASE_URL = "https://wushe.example.gov.cn"
    pref(staff_a, email=True)
    staff_a.email = "a@example.org"
    staff_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify_accounts(users=[staff_a], kind="needs.dispatch", key="n:1", title="新工单",
                        link="/needs/7/", due=dt.date(2026, 3, 5), now=local(2, 10))
    lines = sms_lines(outbox)
    assert len(lines) == 1
    assert lines[0]["to"] == "139****5678"
    assert "https://wushe.example.gov.cn/needs/7/" in lines[0]["text"]
    assert "2026-03-05" in lines[0]["text"]
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["a@example.org"]
    assert set(Delivery.objects.values_list("state", flat=True)) == {DeliveryState.SENT}
    event = AuditEvent.objects.unscoped().get(action=NotificationsAction.ADDRESS_UNMASKED)
    assert event.target_id == str(staff_a.pk)
    assert event.data["purpose"] == "notification"
    assert PHONE not in json.dumps(event.data)


def test_no_phone_is_skipped(staff_a: Any, outbox: Any,
                             django_capture_on_commit_callbacks: Any) -> None:
    pref(staff_a, phone="")
    with django_capture_on_commit_callbacks(execute=True):
        notify_accounts(users=[staff_a], kind="k", key="n:1", title="t", link="/",
                        now=local(2, 10))
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.last_error) == (DeliveryState.SKIPPED, "no address")
    assert sms_lines(outbox) == []


# --- at most once ------------------------------------------------------------------------------

def test_a_retried_task_never_sends_twice(gateway: FakeSmsGateway) -> None:
    delivery = notify_address(resolver="tests.phone", ref=1, kind="needs.state", key="s:1",
                              text="您的诉求 A1B2 已受理", now=local(2, 10))
    assert deliver_one(delivery.pk) == DeliveryState.SENT
    assert deliver_one(delivery.pk) == "not claimed"
    deliver_due()
    assert len(gateway.received) == 1
    delivery.refresh_from_db()
    assert delivery.gateway_id == "gw-1" and delivery.attempts == 1


def test_a_claimed_row_is_not_sent_by_a_second_worker(gateway: FakeSmsGateway) -> None:
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              now=local(2, 10))
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENDING)  # worker 1
    assert deliver_one(delivery.pk) == "not claimed"
    assert gateway.requests == []


def test_503_twice_then_recovers_backoff_and_attempt_log(gateway: FakeSmsGateway) -> None:
    gateway.script = ["503", "503"]
    t0 = local(2, 10)
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              now=t0)
    assert deliver_one(delivery.pk, now=t0) == DeliveryState.RETRYING
    delivery.refresh_from_db()
    assert delivery.next_at == t0 + dt.timedelta(seconds=30)
    assert deliver_one(delivery.pk, now=t0 + dt.timedelta(seconds=10)) == "not claimed"
    t1 = t0 + dt.timedelta(seconds=30)
    assert deliver_one(delivery.pk, now=t1) == DeliveryState.RETRYING
    delivery.refresh_from_db()
    assert delivery.next_at == t1 + dt.timedelta(seconds=120)
    t2 = t1 + dt.timedelta(seconds=120)
    assert deliver_one(delivery.pk, now=t2) == DeliveryState.SENT
    assert deliver_one(delivery.pk, now=t2 + dt.timedelta(hours=1)) == "not claimed"
    assert len(gateway.received) == 1
    tries = list(DeliveryAttempt.objects.filter(delivery=delivery))
    assert [t.outcome for t in tries] == ["retry", "retry", "sent"]
    assert [t.detail for t in tries][:2] == ["HTTP 503", "HTTP 503"]
    assert SmsQuota.objects.get().sent == 1  # the two refused sends gave their quota back


def test_retrying_is_picked_up_by_the_periodic_round(gateway: FakeSmsGateway) -> None:
    gateway.script = ["503"]
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              now=local(2, 10))
    deliver_one(delivery.pk, now=local(2, 10))
    result = deliver_due()  # real now is long after 10:00:30 on 2 March; inline task sends
    assert result["enqueued"] == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT
    assert len(gateway.received) == 1


def test_gives_up_after_max_attempts(gateway: FakeSmsGateway, settings: Any) -> None:
    settings.WUSHE_NOTIFY_MAX_ATTEMPTS = 3
    gateway.default = "503"
    now = local(2, 10)
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              now=now)
    states = []
    for _ in range(5):
        states.append(deliver_one(delivery.pk, now=now))
        now += dt.timedelta(hours=2)
    assert states == ["retrying", "retrying", "failed", "not claimed", "not claimed"]
    delivery.refresh_from_db()
    assert delivery.last_error.startswith("gave up after 3 attempts")
    assert len(gateway.requests) == 3 and gateway.received == []


def test_accepted_without_answer_is_failed_not_retried(gateway: FakeSmsGateway) -> None:
    gateway.script = ["hang"]
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              now=local(2, 10))
    assert deliver_one(delivery.pk) == DeliveryState.FAILED
    delivery.refresh_from_db()
    assert delivery.last_error.startswith(UNKNOWN_NOT_RETRIED)
    deliver_due()
    assert deliver_one(delivery.pk) == "not claimed"
    assert len(gateway.received) == 1  # sent at most once
    assert [t.outcome for t in delivery.tries.all()] == ["unknown"]


def test_unknown_is_retried_when_the_gateway_deduplicates(gateway: FakeSmsGateway,
                                                          settings: Any) -> None:
    settings.WUSHE_SMS_IDEMPOTENT = True
    gateway.script = ["hang"]
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              now=local(2, 10))
    assert deliver_one(delivery.pk) == DeliveryState.RETRYING
    assert deliver_one(delivery.pk, now=dt.datetime.now(SH) + dt.timedelta(hours=1)) == "sent"
    ids = {body["msgId"] for body in gateway.received}
    assert ids == {"s:1"}  # the same message id both times: the gateway keeps one


def test_slow_gateway_within_the_timeout_sends_once(gateway: FakeSmsGateway) -> None:
    gateway.default = "slow"
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              now=local(2, 10))
    assert deliver_one(delivery.pk) == DeliveryState.SENT
    assert DeliveryAttempt.objects.get().ms >= 250
    assert len(gateway.received) == 1


def test_stuck_sending_is_an_unknown_outcome(outbox: Any) -> None:
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              now=local(2, 10))
    Delivery.objects.filter(pk=delivery.pk).update(state=DeliveryState.SENDING,
                                                   next_at=local(2, 10))
    assert deliver_due()["stuck"] == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.FAILED
    assert delivery.last_error.startswith(UNKNOWN_NOT_RETRIED)
    assert sms_lines(outbox) == []


# --- quiet hours and the digest ----------------------------------------------------------------

def test_quiet_hours_hold_until_eight(staff_a: Any, outbox: Any,
                                      django_capture_on_commit_callbacks: Any) -> None:
    pref(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        notify_accounts(users=[staff_a], kind="k", key="n:1", title="新工单", link="/",
                        now=local(2, 23))
    delivery = Delivery.objects.get()
    assert delivery.state == DeliveryState.HELD
    assert delivery.next_at == local(3, 8)
    deliver_due(now=local(3, 7, 59))
    assert sms_lines(outbox) == []
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_due(now=local(3, 8))["released"] == 1
    assert len(sms_lines(outbox)) == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.SENT


def test_urgent_is_not_held_by_quiet_hours(staff_a: Any, outbox: Any,
                                           django_capture_on_commit_callbacks: Any) -> None:
    pref(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        notify_accounts(users=[staff_a], kind="needs.escalated", key="n:1", title="升级",
                        link="/", urgent=True, now=local(2, 23))
    assert Delivery.objects.get().state == DeliveryState.SENT
    assert len(sms_lines(outbox)) == 1


def test_quiet_hours_off_sends_at_night(staff_a: Any, outbox: Any,
                                        django_capture_on_commit_callbacks: Any) -> None:
    pref(staff_a, quiet_hours=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify_accounts(users=[staff_a], kind="k", key="n:1", title="t", link="/",
                        now=local(2, 23))
    assert Delivery.objects.get().state == DeliveryState.SENT


def test_resident_message_not_urgent_waits_out_the_night(outbox: Any) -> None:
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              urgent=False, now=local(2, 3))
    assert (delivery.state, delivery.next_at) == (DeliveryState.HELD, local(2, 8))


def test_digest_folds_the_day_into_one_message(staff_a: Any, outbox: Any,
                                               django_capture_on_commit_callbacks: Any) -> None:
    pref(staff_a, digest=True)
    with django_capture_on_commit_callbacks(execute=True):
        for i, kind in enumerate(["needs.need.dispatch", "needs.need.dispatch",
                                  "volunteers.record.confirm"]):
            notify_accounts(users=[staff_a], kind=kind, key=f"n:{i}", title=f"{NAME}的工单",
                            link="/", now=local(2, 10 + i))
        notify_accounts(users=[staff_a], kind="needs.escalated", key="u:1", title="升级",
                        link="/", urgent=True, now=local(2, 15))
    assert Delivery.objects.filter(state=DeliveryState.HELD).count() == 3
    assert len(sms_lines(outbox)) == 1  # only the urgent one
    with django_capture_on_commit_callbacks(execute=True), translation.override("en"):
        assert deliver_due(now=local(3, 8))["digests"] == 1
        assert deliver_due(now=local(3, 8, 1))["digests"] == 0  # idempotent
    lines = sms_lines(outbox)
    assert len(lines) == 2
    digest = lines[1]["text"]
    # the producers' labels, never their codes
    assert "Needs to dispatch × 2" in digest and "Hours to confirm × 1" in digest
    assert "needs.need" not in digest and "volunteers.record" not in digest
    assert digest.endswith("http://localhost:8000/notifications/")
    assert NAME not in digest
    assert Delivery.objects.filter(last_error="in digest",
                                   state=DeliveryState.SKIPPED).count() == 3


# --- the per-phone cap and personal data -------------------------------------------------------

def test_per_phone_daily_cap(outbox: Any, settings: Any) -> None:
    settings.WUSHE_SMS_PER_PHONE_PER_DAY = 5
    states = []
    for i in range(7):
        delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key=f"s:{i}",
                                  text="t", now=local(2, 10))
        states.append(deliver_one(delivery.pk, now=local(2, 10)))
    assert states == ["sent"] * 5 + ["skipped"] * 2
    assert Delivery.objects.filter(last_error="cap").count() == 2
    assert len(sms_lines(outbox)) == 5
    other = notify_address(resolver="tests.phone2", ref=1, kind="k", key="o:1", text="t",
                           now=local(2, 10))
    assert deliver_one(other.pk, now=local(2, 10)) == "sent"  # another phone has its own cap
    tomorrow = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:next",
                              text="t", now=local(3, 10))
    assert deliver_one(tomorrow.pk, now=local(3, 10)) == "sent"  # a new day


def test_the_cap_applies_to_urgent_staff_messages(staff_a: Any, outbox: Any, settings: Any,
                                                  django_capture_on_commit_callbacks: Any
                                                  ) -> None:
    settings.WUSHE_SMS_PER_PHONE_PER_DAY = 1
    pref(staff_a)
    with django_capture_on_commit_callbacks(execute=True):
        for i in range(2):
            notify_accounts(users=[staff_a], kind="k", key=f"n:{i}", title="t", link="/",
                            urgent=True)
    assert sorted(Delivery.objects.values_list("state", flat=True)) == ["sent", "skipped"]


def test_no_personal_data_in_the_outbox_or_the_gateway(gateway: FakeSmsGateway, outbox: Any,
                                                       settings: Any) -> None:
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1",
                              text="您的诉求 A1B2 已受理", now=local(2, 10))
    deliver_one(delivery.pk)
    assert gateway.phones() == [PHONE]  # the gateway needs the number, and only there
    for text in gateway.texts():
        assert PHONE not in text and ID_NUMBER not in text and NAME not in text
    settings.WUSHE_SMS_BACKEND = "file"
    second = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:2",
                            text="您的诉求 A1B2 已办结", now=local(2, 10))
    deliver_one(second.pk)
    raw = (outbox / "sms.jsonl").read_text()
    assert PHONE not in raw and "139****5678" in raw
    details = " ".join(DeliveryAttempt.objects.values_list("detail", flat=True))
    assert PHONE not in details and "A1B2" not in details


def test_unknown_resolver_or_channel_is_refused(db: Any) -> None:
    with pytest.raises(ValueError):
        notify_address(resolver="nope", ref=1, kind="k", key="x", text="t")
    with pytest.raises(ValueError):
        notify_address(resolver="tests.phone", ref=1, kind="k", key="x", text="t",
                       channel="inapp")
    assert Delivery.objects.count() == 0



def test_a_retry_is_deferred_on_a_queue_that_can_wait(gateway: FakeSmsGateway, settings: Any,
                                                       django_capture_on_commit_callbacks: Any
                                                       ) -> None:
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    gateway.script = ["503"]
    delivery = notify_address(resolver="tests.phone", ref=1, kind="k", key="s:1", text="t",
                              now=local(2, 10))
    with django_capture_on_commit_callbacks(execute=True):
        assert deliver_one(delivery.pk) == DeliveryState.RETRYING
    delivery.refresh_from_db()
    queued = DBTaskResult.objects.get()
    assert queued.args_kwargs["args"] == [str(delivery.pk)]
    assert queued.run_after == delivery.next_at


def test_the_round_is_a_registered_periodic_job() -> None:
    from wushe.core.jobs import JOBS, every

    assert "notifications.deliver_due" in JOBS
    assert every("notifications.deliver_due") == dt.timedelta(seconds=30)
