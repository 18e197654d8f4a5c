"""Real browser against a real server: Debian's Chromium driven by Playwright.

Run with ``pytest -m browser``; the fixtures are in wushe/web/tests/browser.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser


def test_community_staff_sees_its_community_and_masked_people(
        server: Server, browser: Any, shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("community_staff")
    community = server.region_name(account["region_code"])

    login(page, server.base, account["username"], account["password"])
    assert page.url == f"{server.base}/"
    card = page.locator("[data-testid=role-card]")
    assert card.count() >= 1
    assert "社区工作人员" in card.first.inner_text()
    assert community in card.first.inner_text()
    page.screenshot(path=str(shots / "home.png"), full_page=True)

    page.click("nav.ws-nav [data-nav-group=community] [data-testid=nav-group]")  # the menu
    page.click("nav.ws-nav .dropdown-menu.show >> text=人员")
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
    page = new_page(browser, requests, problems)
    account = server.account("community_staff", -1)
    for _ in range(5):
        login(page, server.base, account["username"], "not-the-password")
        assert page.locator("[data-testid=login-error]").is_visible()
    # Locked now: even the right password is refused, and the page says so.
    login(page, server.base, account["username"], account["password"])
    error = page.locator("[data-testid=login-error]").inner_text()
    assert "锁定" in error
    assert page.url.startswith(f"{server.base}/login/")
    page.screenshot(path=str(shots / "locked.png"), full_page=True)
