"""The channels a delivery goes out on: SMS (a file, or the government SMS platform's HTTP API),
work chat (a file, or a group robot's webhook), email (Django's email backends).

A channel's ``send(address, text, message_id)`` answers one of four outcomes:

- ``sent``: the other side took the message;
- ``retry``: nothing reached the other side (connection refused, connect timeout) or it said
  "try later" (HTTP 5xx, 429): safe to send again;
- ``failed``: permanent (HTTP 4xx, a refusal in the answer, bad configuration);
- ``unknown``: the request went out but no answer came (a read timeout after the gateway
  accepted the connection): sending again might send twice.

``detail`` is short and never holds the address or the text (it is stored with the attempt).
"""

from __future__ import annotations

import http.client
import json
import os
import smtplib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import timezone

from wushe.core.masking import mask_phone
from wushe.notifications.send import Address

SENT, RETRY, FAILED, UNKNOWN = "sent", "retry", "failed", "unknown"


@dataclass(frozen=True)
class SendResult:
    outcome: str  # sent | retry | failed | unknown
    detail: str = ""  # no address, no text
    gateway_id: str = ""


class Channel(Protocol):
    def send(self, address: Address, text: str, message_id: str) -> SendResult: ...


# --- masking for the file outbox --------------------------------------------------------------

def mask_email(value: str) -> str:
    local, _sep, domain = value.partition("@")
    if not domain:
        return "***"
    return (local[:1] + "***@" + domain) if local else "***@" + domain


def mask_url(value: str) -> str:
    """A webhook URL carries its robot's key: only the scheme and host are shown."""
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.hostname or ''}/…" if parts.scheme else "…"


MASKS = {"sms": mask_phone, "email": mask_email, "chat": mask_url}


def outbox_dir() -> Path:
    path = Path(settings.DATA_DIR) / "outbox"
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


class FileChannel:
    """Appends one JSON line per message to DATA_DIR/outbox/<channel>.jsonl, the address masked
    (files 0600, directory 0700): the demo's and the tests' SMS and chat."""

    def __init__(self, channel: str) -> None:
        self.channel = channel

    def path(self) -> Path:
        return outbox_dir() / f"{self.channel}.jsonl"

    def send(self, address: Address, text: str, message_id: str) -> SendResult:
        line = json.dumps({"at": timezone.now().isoformat(), "channel": self.channel,
                           "to": MASKS[self.channel](address.value), "text": text,
                           "key": message_id}, ensure_ascii=False) + "\n"
        try:
            fd = os.open(self.path(), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, line.encode())  # one write: lines of concurrent workers never mix
            finally:
                os.close(fd)
        except OSError as exc:
            return SendResult(FAILED, f"outbox file: {exc.strerror or type(exc).__name__}")
        return SendResult(SENT, "file")


# --- HTTP --------------------------------------------------------------------------------------

def post_json(url: str, body: bytes, timeout: float,
              headers: dict[str, str] | None = None) -> tuple[SendResult | None, int, Any]:
    """POST ``body`` to ``url``. Returns (a final result if the exchange itself decided it,
    the HTTP status, the parsed JSON answer or None)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return SendResult(FAILED, "bad URL in settings"), 0, None
    cls = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    conn = cls(parts.hostname, parts.port, timeout=timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        try:
            conn.connect()
        except TimeoutError:
            return SendResult(RETRY, "connect timeout"), 0, None
        except ConnectionRefusedError:
            return SendResult(RETRY, "connection refused"), 0, None
        except OSError as exc:  # DNS, unreachable: nothing was sent
            return SendResult(RETRY, f"connect: {type(exc).__name__}"), 0, None
        try:
            conn.request("POST", path, body=body, headers={
                "Content-Type": "application/json; charset=utf-8", **(headers or {})})
            response = conn.getresponse()
            status = response.status
            raw = response.read(64 * 1024)
        except TimeoutError:
            return SendResult(UNKNOWN, "read timeout after sending"), 0, None
        except (OSError, http.client.HTTPException) as exc:
            return SendResult(UNKNOWN, f"no answer: {type(exc).__name__}"), 0, None
    finally:
        conn.close()
    try:
        answer = json.loads(raw) if raw else None
    except ValueError:
        answer = None
    if status == 429 or status >= 500:
        return SendResult(RETRY, f"HTTP {status}"), status, answer
    if status >= 300:
        return SendResult(FAILED, f"HTTP {status}"), status, answer
    return None, status, answer


def fill_template(template: str, values: dict[str, str]) -> bytes:
    """Replace each {placeholder} of a JSON template by its JSON-escaped value (the template
    puts the quotes around it). The result must parse as JSON."""
    out = template
    for name, value in values.items():
        out = out.replace("{" + name + "}", json.dumps(value, ensure_ascii=False)[1:-1])
    json.loads(out)  # a broken template is bad configuration (ValueError)
    return out.encode()


def _answer_code(answer: Any) -> Any:
    if isinstance(answer, dict):
        for field in ("errcode", "code", "status"):
            if field in answer:
                return answer[field]
    return None


OK_CODES = {0, "0", "OK", "ok", "success", 200, "200"}


class HttpSmsChannel:
    """The government SMS platform's HTTP API: POST WUSHE_SMS_BODY (placeholders {phone},
    {text}, {template_id}, {message_id}, {account}, {secret}) to WUSHE_SMS_URL. A 2xx answer
    is sent unless its JSON holds a code (errcode/code/status) other than 0/OK."""

    def send(self, address: Address, text: str, message_id: str) -> SendResult:
        if not settings.WUSHE_SMS_URL:
            return SendResult(FAILED, "WUSHE_SMS_URL is not set")
        try:
            body = fill_template(settings.WUSHE_SMS_BODY, {
                "phone": address.value, "text": text,
                "template_id": settings.WUSHE_SMS_TEMPLATE_ID, "message_id": message_id,
                "account": settings.WUSHE_SMS_ACCOUNT, "secret": settings.WUSHE_SMS_SECRET})
        except ValueError:
            return SendResult(FAILED, "WUSHE_SMS_BODY is not a JSON template")
        decided, status, answer = post_json(settings.WUSHE_SMS_URL, body,
                                            settings.WUSHE_SMS_TIMEOUT)
        if decided is not None:
            return decided
        code = _answer_code(answer)
        gateway_id = ""
        if isinstance(answer, dict):
            gateway_id = str(answer.get("msgId") or answer.get("messageId") or
                             answer.get("id") or "")[:80]
        if code is not None and code not in OK_CODES:
            return SendResult(FAILED, f"gateway code {str(code)[:40]}")
        return SendResult(SENT, f"HTTP {status}", gateway_id)


# WeChat Work / DingTalk robots: errcode -1 is "system busy", 45009 / 130101 rate limits.
CHAT_RETRY_CODES = {-1, 45009, 130101}


class HttpChatChannel:
    """A group robot's webhook: POST {"msgtype": "text", "text": {"content": text}}; the answer
    {"errcode": 0} is sent, a busy or rate-limit code is retried, any other code failed."""

    def send(self, address: Address, text: str, message_id: str) -> SendResult:
        body = json.dumps({"msgtype": "text", "text": {"content": text}},
                          ensure_ascii=False).encode()
        decided, status, answer = post_json(address.value, body, settings.WUSHE_CHAT_TIMEOUT)
        if decided is not None:
            return decided
        code = _answer_code(answer)
        if code in (0, "0"):
            return SendResult(SENT, f"HTTP {status}")
        if code in CHAT_RETRY_CODES:
            return SendResult(RETRY, f"errcode {code}")
        return SendResult(FAILED, f"errcode {str(code)[:40]}" if code is not None
                          else "no errcode in the answer")


class EmailChannel:
    """Django's EMAIL_BACKEND (a file per message in the demo, SMTP in production)."""

    def send(self, address: Address, text: str, message_id: str) -> SendResult:
        subject = text.split(" http", 1)[0][:78]
        message = EmailMessage(subject=subject, body=text, to=[address.value],
                               headers={"X-Wushe-Message": message_id})
        try:
            message.send(fail_silently=False)
        except (TimeoutError, ConnectionRefusedError, smtplib.SMTPConnectError):
            return SendResult(RETRY, "mail server unreachable")
        except smtplib.SMTPResponseException as exc:
            code = int(exc.smtp_code)
            return SendResult(RETRY if 400 <= code < 500 else FAILED, f"SMTP {code}")
        except smtplib.SMTPRecipientsRefused:
            return SendResult(FAILED, "recipient refused")
        except smtplib.SMTPServerDisconnected:
            return SendResult(UNKNOWN, "mail server disconnected")
        except (smtplib.SMTPException, OSError) as exc:
            return SendResult(FAILED, f"mail: {type(exc).__name__}")
        return SendResult(SENT, "email")


def get_channel(name: str) -> Channel:
    """The backend of a channel, as the settings choose it now."""
    if name == "sms":
        return HttpSmsChannel() if settings.WUSHE_SMS_BACKEND == "http" else FileChannel("sms")
    if name == "chat":
        return HttpChatChannel() if settings.WUSHE_CHAT_BACKEND == "http" else FileChannel("chat")
    if name == "email":
        return EmailChannel()
    raise ValueError(f"not a sending channel: {name!r}")


def outbox_lines(channel: str) -> list[dict[str, Any]]:
    """The file outbox of a channel, parsed (tests, the demo)."""
    path = outbox_dir() / f"{channel}.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]

