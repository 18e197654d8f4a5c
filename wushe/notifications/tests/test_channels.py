"""The channels against real small servers on 127.0.0.1 (tests/fakes.py) and the file outbox."""

from __future__ import annotations

import json
import socket
import stat
from collections.abc import Iterator
from typing import Any

import pytest

from wushe.notifications import channels
from wushe.notifications.send import Address
from wushe.notifications.tests.fakes import FakeChatWebhook, FakeSmsGateway

PHONE = "13912345678"


@pytest.fixture
def outbox(settings: Any, tmp_path: Any) -> Any:
    settings.DATA_DIR = tmp_path
    return tmp_path / "outbox"


@pytest.fixture
def gateway(settings: Any) -> Iterator[FakeSmsGateway]:
    with FakeSmsGateway(hang_seconds=2.0) as gw:
        settings.WUSHE_SMS_BACKEND = "http"
        settings.WUSHE_SMS_URL = gw.url
        settings.WUSHE_SMS_ACCOUNT = "district"
        settings.WUSHE_SMS_SECRET = "s3cret"
        settings.WUSHE_SMS_TEMPLATE_ID = "TPL-1"
        settings.WUSHE_SMS_TIMEOUT = 1
        yield gw


@pytest.fixture
def webhook(settings: Any) -> Iterator[FakeChatWebhook]:
    with FakeChatWebhook(hang_seconds=2.0) as hook:
        settings.WUSHE_CHAT_BACKEND = "http"
        settings.WUSHE_CHAT_TIMEOUT = 1
        yield hook


def test_file_backend_writes_one_masked_line_in_private_files(outbox: Any) -> None:
    result = channels.get_channel("sms").send(Address(PHONE), "工单 N-1 已受理", "k:1")
    assert result.outcome == channels.SENT
    path = outbox / "sms.jsonl"
    raw = path.read_text()
    assert PHONE not in raw
    line = json.loads(raw)
    assert line["to"] == "139****5678"
    assert line["text"] == "工单 N-1 已受理"
    assert line["key"] == "k:1" and line["channel"] == "sms" and line["at"]
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(outbox.stat().st_mode) == 0o700


def test_file_backend_masks_a_chat_webhook_key(outbox: Any) -> None:
    channels.get_channel("chat").send(Address("https://qyapi.example/robot?key=SECRETKEY"),
                                      "x", "k:2")
    raw = (outbox / "chat.jsonl").read_text()
    assert "SECRETKEY" not in raw
    assert json.loads(raw)["to"] == "https://qyapi.example/…"


def test_http_sms_sends_the_body_template(gateway: FakeSmsGateway) -> None:
    result = channels.get_channel("sms").send(Address(PHONE), 'say "hi"\n', "msg-1")
    assert result.outcome == channels.SENT
    assert result.gateway_id == "gw-1"
    assert gateway.received == [{"account": "district", "password": "s3cret",
                                 "templateId": "TPL-1", "mobiles": [PHONE],
                                 "content": 'say "hi"\n', "msgId": "msg-1"}]


def test_http_sms_slow_answer_within_the_timeout_is_sent(gateway: FakeSmsGateway) -> None:
    gateway.script = ["slow"]
    assert channels.get_channel("sms").send(Address(PHONE), "t", "m").outcome == channels.SENT
    assert len(gateway.received) == 1


@pytest.mark.parametrize(("behaviour", "outcome"), [
    ("503", channels.RETRY), ("429", channels.RETRY), ("400", channels.FAILED),
    ("403", channels.FAILED), ("code:E101", channels.FAILED),
])
def test_http_sms_answers(gateway: FakeSmsGateway, behaviour: str, outcome: str) -> None:
    gateway.script = [behaviour]
    result = channels.get_channel("sms").send(Address(PHONE), "t", "m")
    assert result.outcome == outcome
    assert PHONE not in result.detail
    assert gateway.received == []


def test_http_sms_accepted_without_answer_is_unknown(gateway: FakeSmsGateway) -> None:
    gateway.script = ["hang"]
    result = channels.get_channel("sms").send(Address(PHONE), "t", "m")
    assert result.outcome == channels.UNKNOWN
    assert len(gateway.received) == 1  # it did reach the gateway: not safe to send again


def test_http_sms_connection_refused_is_retry(settings: Any) -> None:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()  # nothing listens there now
    settings.WUSHE_SMS_BACKEND = "http"
    settings.WUSHE_SMS_URL = f"http://127.0.0.1:{port}/sms"
    result = channels.get_channel("sms").send(Address(PHONE), "t", "m")
    assert result.outcome == channels.RETRY
    assert result.detail == "connection refused"


def test_http_sms_bad_configuration_is_failed(settings: Any, gateway: FakeSmsGateway) -> None:
    settings.WUSHE_SMS_BODY = '{"mobiles": [{phone}]'  # not JSON once filled
    assert channels.get_channel("sms").send(Address(PHONE), "t", "m").outcome == channels.FAILED
    settings.WUSHE_SMS_URL = ""
    assert channels.get_channel("sms").send(Address(PHONE), "t", "m").outcome == channels.FAILED
    assert gateway.requests == []


def test_chat_webhook_posts_the_robot_shape(webhook: FakeChatWebhook) -> None:
    result = channels.get_channel("chat").send(Address(webhook.url), "新工单 2 件", "c:1")
    assert result.outcome == channels.SENT
    assert webhook.received == [{"msgtype": "text", "text": {"content": "新工单 2 件"}}]
    assert webhook.requests[0]["path"] == "/robot/send?key=test-robot-key"


@pytest.mark.parametrize(("behaviour", "outcome"), [
    ("code:-1", channels.RETRY), ("code:93000", channels.FAILED), ("502", channels.RETRY),
    ("hang", channels.UNKNOWN),
])
def test_chat_webhook_answers(webhook: FakeChatWebhook, behaviour: str, outcome: str) -> None:
    webhook.script = [behaviour]
    assert channels.get_channel("chat").send(Address(webhook.url), "t", "c").outcome == outcome


def test_email_goes_through_the_django_backend(mailoutbox: Any) -> None:
    result = channels.get_channel("email").send(Address("a@example.org"),
                                                "新工单 http://x/inbox/", "e:1")
    assert result.outcome == channels.SENT
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["a@example.org"]
    assert mailoutbox[0].subject == "新工单"
