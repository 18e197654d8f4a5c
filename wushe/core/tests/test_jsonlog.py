"""Logs as JSON lines (core/jsonlog.py and LOGGING in config/settings/base.py)."""

from __future__ import annotations

import io
import json
import logging
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from wushe.core.jsonlog import JsonFormatter
from wushe.core.logmask import MaskIdentifiers

PHONE = "13912345678"
ID_NUMBER = "11010519491231002X"

# A process with the real settings in JSON mode: two requests, then the stdout is the log.
SCRIPT = f"""
import django
django.setup()
from django.test import Client
c = Client(HTTP_HOST="localhost")
c.get("/healthz", HTTP_X_REQUEST_ID="nginx-req-42")
c.get("/no/such/{PHONE}/{ID_NUMBER}", HTTP_X_REQUEST_ID="bad id with spaces")
"""


@pytest.fixture
def syslog_server() -> Iterator[socket.socket]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(5)
    yield sock
    sock.close()


def test_json_mode_writes_one_line_per_request_to_stdout_file_and_syslog(
        tmp_path: Path, syslog_server: socket.socket) -> None:
    log_file = tmp_path / "log" / "wushe.log"
    log_file.parent.mkdir()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "WUSHE_DATA_DIR": str(tmp_path / "data"), "WUSHE_LOG_FORMAT": "json",
           "WUSHE_LOG_FILE": str(log_file),
           "WUSHE_LOG_SYSLOG": f"127.0.0.1:{syslog_server.getsockname()[1]}"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True,
                          text=True, timeout=120, cwd=settings.BASE_DIR, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.strip()]
    requests = [line for line in lines if line["logger"] == "wushe.request"]
    assert len(requests) == 2, lines
    health, missing = requests
    assert health == {**health, "message": "request", "request_id": "nginx-req-42",
                      "route": "web:healthz", "method": "GET", "status": 200, "user_id": None}
    assert isinstance(health["duration_ms"], float) and health["time"].endswith("+00:00")
    assert missing["route"] == "unmatched" and missing["status"] == 404
    assert len(missing["request_id"]) == 32  # a new id: the caller's was not a plain token
    # every record is a JSON line carrying the request id, masked (django.request's warning)
    warning = [line for line in lines if line["logger"] == "django.request"]
    assert warning and warning[0]["request_id"] == missing["request_id"]
    assert PHONE not in done.stdout and ID_NUMBER not in done.stdout
    assert "139****5678" in done.stdout
    written = log_file.read_text()
    assert [json.loads(line)["request_id"] for line in written.splitlines()
            if '"wushe.request"' in line] == ["nginx-req-42", missing["request_id"]]
    assert PHONE not in written
    received = b"".join(syslog_server.recv(65536) for _ in range(len(lines))).decode()
    assert "nginx-req-42" in received and PHONE not in received and ID_NUMBER not in received


@pytest.fixture
def request_lines() -> Iterator[io.StringIO]:
    """The request logger as JSON mode has it: INFO, a JSON handler with the masking filter."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(MaskIdentifiers())
    logger = logging.getLogger("wushe.request")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)
    logger.setLevel(level)
    logger.propagate = propagate


@pytest.mark.django_db
def test_request_line_carries_the_user_id_and_no_personal_data(
        request_lines: io.StringIO, staff_a: Any) -> None:
    staff_a.first_name = "张三"
    staff_a.save()
    client = Client()
    client.force_login(staff_a)
    response = client.get(f"/needs/track/{PHONE}")
    lines = [json.loads(line) for line in request_lines.getvalue().splitlines()]
    assert len(lines) == 1
    line = lines[0]
    assert line["user_id"] == staff_a.pk
    assert line["route"] == "needs:track" and line["status"] == response.status_code
    assert line["request_id"] == response["X-Request-ID"]
    text = request_lines.getvalue()
    assert PHONE not in text and staff_a.username not in text and "张三" not in text


def test_text_mode_has_no_request_line() -> None:
    # the default (text) configuration: the request logger stays at WARNING
    config: dict[str, Any] = settings.LOGGING
    assert config["loggers"]["wushe.request"]["level"] == "WARNING"
    assert all("mask_identifiers" in h.get("filters", []) for h in config["handlers"].values())


def test_unknown_log_format_and_bad_syslog_address_are_refused(tmp_path: Path) -> None:
    from django.test import override_settings

    from wushe.core.jsonlog import check_log_format

    with override_settings(WUSHE_LOG_FORMAT="JSONL"):
        assert [e.id for e in check_log_format()] == ["wushe.E032"]
    assert check_log_format() == []
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test",
           "WUSHE_DATA_DIR": str(tmp_path), "WUSHE_LOG_SYSLOG": "loghost"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env,
                          capture_output=True, text=True, timeout=120, cwd=settings.BASE_DIR,
                          check=False)
    assert done.returncode != 0 and "WUSHE_LOG_SYSLOG must be host:port" in done.stderr
