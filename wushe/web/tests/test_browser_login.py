"""Real browser against a real server: Debian's Chromium driven by Playwright.

Run with ``pytest -m browser``. The server is ``wushe runserver`` in a subprocess on a free
port, over a fresh data directory holding the small demo district (or, if the demo command
is not available, the page-test district built through the services).
"""

from __future__ import annotations

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

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parents[3]

FALLBACK_BUILD = """
import json, os, django
django.setup()
from wushe.web.tests.factories import PASSWORD, build_world
w = build_world()
rows = [{"role": g.role, "username": u.username, "password": PASSWORD,
         "region_code": g.region.code, "name": u.display_name}
        for u in w.users.values() for g in u.grants.all().select_related("region")]
path = os.path.join(os.environ["WUSHE_DATA_DIR"], "demo-accounts.json")
open(path, "w", encoding="utf-8").write(json.dumps(rows, ensure_ascii=False))
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _run(args: list[str], env: dict[str, str]) -> None:
    subprocess.run(args, cwd=ROOT, env=env, check=True, timeout=600,  # noqa: S603
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _has_demo_command(env: dict[str, str]) -> bool:
    probe = subprocess.run([str(BIN / "wushe"), "help", "demo"], cwd=ROOT, env=env,  # noqa: S603
                           capture_output=True, timeout=120)
    return probe.returncode == 0


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


@pytest.fixture(scope="module")
def server() -> Iterator[Server]:
    data_dir = Path(tempfile.mkdtemp(prefix="wushe-browser-"))
    env = {**os.environ, "WUSHE_DATA_DIR": str(data_dir),
           "DJANGO_SETTINGS_MODULE": "config.settings.base", "WUSHE_DEBUG": "0",
           "PYTHONUNBUFFERED": "1"}
    if _has_demo_command(env):
        _run([str(BIN / "wushe"), "demo", "--profile", "small", "--no-serve"], env)
    else:
        _run([str(BIN / "wushe"), "migrate", "--no-input"], env)
        _run([sys.executable, "-c", FALLBACK_BUILD], env)
    accounts = json.loads((data_dir / "demo-accounts.json").read_text(encoding="utf-8"))
    port = _free_port()
    log = (data_dir / "server.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        [str(BIN / "wushe"), "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
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
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
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
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("WUSHE_SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        return Path(target)
    return tmp_path_factory.mktemp("screenshots")


def _page(browser: Any, requests: list[str], problems: list[str]) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    return page


def _login(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form button[type=submit].btn-lg")
    page.wait_for_load_state()


def test_community_staff_sees_its_community_and_masked_people(
        server: Server, browser: Any, shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = _page(browser, requests, problems)
    account = server.account("community_staff")
    community = server.region_name(account["region_code"])

    _login(page, server.base, account["username"], account["password"])
    assert page.url == f"{server.base}/"
    card = page.locator("[data-testid=role-card]")
    assert card.count() >= 1
    assert "社区工作人员" in card.first.inner_text()
    assert community in card.first.inner_text()
    page.screenshot(path=str(shots / "home.png"), full_page=True)

    page.click("nav.ws-nav >> text=人员")
    page.wait_for_load_state()
    assert page.url == f"{server.base}/people/"
    ids = page.locator("[data-testid=masked-id]").all_inner_texts()
    assert ids, "the people list is empty"
    assert all("*" in i for i in ids if i != "—")
    assert page.locator("[data-testid=people-table] tbody tr").first.locator("td").last \
        .inner_text() != ""
    page.screenshot(path=str(shots / "people.png"), full_page=True)

    # htmx: reveal one phone number with a purpose, in place.
    page.locator("[data-testid=people-table] tbody a").first.click()
    page.wait_for_load_state()
    reveal = page.locator("[data-testid=reveal-id_number]")
    reveal.locator("summary").click()
    reveal.locator("select").select_option("visit")
    reveal.locator("input[name=detail]").fill("浏览器测试核实")
    reveal.locator("button[type=submit]").click()
    value = page.locator("[data-testid=revealed-value]")
    value.wait_for()
    assert "*" not in value.inner_text() and len(value.inner_text()) == 18
    page.screenshot(path=str(shots / "person.png"), full_page=True)

    # htmx: expand the tree.
    page.goto(f"{server.base}/regions/")
    details = page.locator("details[hx-get]").first
    if details.count():
        details.locator("summary").click()
        details.locator("[data-testid=region-children]").wait_for()

    outside = [u for u in requests
               if not u.startswith(("data:", "blob:")) and not u.startswith(server.base + "/")]
    assert outside == []
    assert problems == []


def test_five_wrong_passwords_lock_the_account(server: Server, browser: Any,
                                               shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = _page(browser, requests, problems)
    account = server.account("community_staff", -1)
    for _ in range(5):
        _login(page, server.base, account["username"], "not-the-password")
        assert page.locator("[data-testid=login-error]").is_visible()
    # Locked now: even the right password is refused, and the page says so.
    _login(page, server.base, account["username"], account["password"])
    error = page.locator("[data-testid=login-error]").inner_text()
    assert "锁定" in error
    assert page.url.startswith(f"{server.base}/login/")
    page.screenshot(path=str(shots / "locked.png"), full_page=True)
