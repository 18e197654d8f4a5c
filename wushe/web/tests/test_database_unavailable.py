"""A database out of reach (a restart, the standby taking over) is a 503 with Retry-After and a
bilingual message, never a 500: clients and the proxy try again, and no error page blames us."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from wushe.core.tests.procs import ROOT, env_for, free_port, wait_for


def _get(url: str, data: bytes | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as r:  # noqa: S310 (127.0.0.1)
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@pytest.fixture
def server_without_database(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """A real server whose PostgreSQL is down: nothing listens on the database port."""
    port, dead = free_port(), free_port()
    env = env_for(tmp_path, DATABASE_URL=f"postgres://wushe:wushe@127.0.0.1:{dead}/wushe",
                  WUSHE_DEBUG="0")
    log = (tmp_path / "server.log").open("wb")
    # gunicorn, as in production (runserver itself stops when it cannot check migrations)
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "config.wsgi",  # noqa: S603
                             "-c", "wushe/core/gunicorn_conf.py", "-w", "1",
                             "-b", f"127.0.0.1:{port}"], env=env, cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        assert proc.poll() is None, (tmp_path / "server.log").read_text(errors="replace")[-2000:]
        try:
            return _get(f"{base}/healthz")[0] == 200
        except OSError:
            return False

    try:
        wait_for(up, 60, "the server to answer /healthz")
        yield base, proc
    finally:
        proc.kill()
        proc.wait(timeout=10)
        log.close()


def test_api_and_pages_answer_503_with_retry_after_when_the_database_is_down(
        server_without_database: tuple[str, subprocess.Popen[bytes]]) -> None:
    base, _ = server_without_database
    body = json.dumps({"category": "temporary_relief", "description": "家中突发火灾",
                       "community": "500107001001", "contact_name": "测试",
                       "contact_phone": "13900000000", "consent": True}).encode()
    status, headers, content = _get(f"{base}/api/v1/public/needs", body)
    assert status == 503, content[:500]
    assert headers.get("Retry-After") == "5"
    answer = json.loads(content)
    assert answer["code"] == "unavailable" and answer["message"]["zh"] and answer["message"]["en"]
    status, headers, content = _get(f"{base}/charity/public/")  # the funds disclosure page
    assert status == 503 and headers.get("Retry-After") == "5"
    assert "数据库暂时无法连接" in content.decode() and "try again" in content.decode()
    # Liveness does not touch the database: the load balancer keeps the server.
    assert _get(f"{base}/healthz")[0] == 200
