"""Browser-test support: a real server over the small demo district, and Debian's Chromium.

The fixtures ``server``, ``browser`` and ``shots`` are exposed to every test by
``wushe/conftest.py``; tests marked ``browser`` run with ``pytest -m browser``. The server is
``wushe runserver`` in a subprocess on a free port over a fresh data directory.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[3]

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, timeout=600,  # noqa: S603
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


class Server:
    def __init__(self, base: str, data_dir: Path, accounts: list[dict[str, Any]]) -> None:
        self.base = base
        self.data_dir = data_dir
        self.accounts = accounts

    def account(self, role: str, index: int = 0) -> dict[str, Any]:
        return [a for a in self.accounts if a["role"] == role][index]

    def region_name(self, code: str) -> str:
        with sqlite3.connect(f"file:{self.data_dir / 'wushe.sqlite3'}?mode=ro", uri=True) as db:
            row = db.execute("select name from regions_region where code = ?", (code,)).fetchone()
        return str(row[0])


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "WUSHE_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "config.settings.base", "WUSHE_DEBUG": "0",
            "PYTHONUNBUFFERED": "1"}


@pytest.fixture(scope="session")
def demo_template() -> Iterator[Path]:
    """The small demo district, built once per run; each module's server gets a copy of it
    (a build is deterministic, so a copy is what a fresh build would give, in a second
    instead of a minute)."""
    data_dir = Path(tempfile.mkdtemp(prefix="wushe-browser-template-"))
    try:
        _run([str(BIN / "wushe"), "demo", "--profile", "small", "--no-serve"], _env(data_dir))
        yield data_dir
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def server(demo_template: Path) -> Iterator[Server]:
    data_dir = Path(tempfile.mkdtemp(prefix="wushe-browser-"))
    # No process has the template open, so its SQLite files (WAL included) copy consistently.
    shutil.copytree(demo_template, data_dir, dirs_exist_ok=True)
    env = _env(data_dir)
    accounts = json.loads((data_dir / "demo-accounts.json").read_text(encoding="utf-8"))
    TOTP_SECRETS.clear()
    TOTP_SECRETS.update({a["username"]: a["totp_secret"] for a in accounts if "totp_secret" in a})
    _LAST_STEP.clear()
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        [str(BIN / "wushe"), "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    # The page jobs (imports, reports) are done by a real worker, as in production.
    worker = subprocess.Popen(  # noqa: S603
        [str(BIN / "wushe"), "worker", "--interval", "0.2"], cwd=ROOT, env=env, stdout=log,
        stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as r:  # noqa: S310
                    if r.status == 200:
                        break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError((data_dir / "server.log").read_text()) from None
                time.sleep(0.2)
        yield Server(base, data_dir, accounts)
    finally:
        for child in (proc, worker):
            child.terminate()
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()
        log.close()
        shutil.rmtree(data_dir, ignore_errors=True)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        opened = b.new_context

        def new_context(**options: Any) -> Any:
            # CI runs these beside other checks on two cores: a page may take longer than
            # Playwright's default 30 s, in every context a test opens.
            context = opened(**options)
            context.set_default_timeout(60_000)
            return context

        b.new_context = new_context  # type: ignore[method-assign]
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("WUSHE_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        return Path(target)
    return tmp_path_factory.mktemp("screenshots")


def new_page(browser: Any, requests: list[str], problems: list[str]) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page


# The demo's TOTP secrets by username (from its login sheet), and the last time step whose code
# each account used: a code is accepted once, so the next sign-in uses the next step.
TOTP_SECRETS: dict[str, str] = {}
_LAST_STEP: dict[str, int] = {}


def totp_code(secret: str, account: str = "") -> str:
    """The code an authenticator app shows for ``secret`` (base32), as RFC 6238 computes it,
    for a time step ``account`` has not used yet (the server accepts one step ahead)."""
    from django_otp.oath import hotp

    key = base64.b32decode(secret.replace(" ", "").upper())
    step = max(int(time.time()) // 30, _LAST_STEP.get(account, -1) + 1)
    while step > int(time.time()) // 30 + 1:
        time.sleep(1)
    if account:
        _LAST_STEP[account] = step
    return f"{hotp(key, step, digits=6):06d}"


def enter_code(page: Any, code: str) -> None:
    page.fill("#id_code", code)
    page.click("form button[type=submit].btn-lg")
    page.wait_for_load_state()


def login(page: Any, base: str, username: str, password: str, *, otp: bool = True) -> None:
    """Sign in through the form; an account with a demo TOTP secret also enters its code
    (``otp=False`` stops at the code step)."""
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-lg")
    page.wait_for_load_state()
    secret = TOTP_SECRETS.get(username)
    if otp and secret and page.url.startswith(f"{base}/login/otp/"):
        enter_code(page, totp_code(secret, username))
