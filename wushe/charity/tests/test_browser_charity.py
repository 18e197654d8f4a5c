"""Real browser against the small demo: the public transparency page shows funds and help
given without any ID number, phone number or beneficiary's full name; a fund manager approves
a waiting disbursement."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser

ID_NUMBER = re.compile(r"\d{17}[\dXx]")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def _beneficiary_names(server: Server) -> set[str]:
    db = server.data_dir / "wushe.sqlite3"
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        rows = conn.execute(
            "SELECT DISTINCT p.name FROM charity_disbursement d "
            "JOIN people_person p ON p.id = d.person_id").fetchall()
    return {r[0] for r in rows}


def _clean(text: str, names: set[str]) -> None:
    assert not ID_NUMBER.search(text), ID_NUMBER.search(text)
    assert not PHONE.search(text), PHONE.search(text)
    leaked = [n for n in names if n in text]
    assert leaked == []


def test_public_transparency_page_has_no_personal_data(server: Server, browser: Any,
                                                       shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    names = _beneficiary_names(server)
    assert len(names) > 100  # the demo helped hundreds of persons by name

    page.goto(f"{server.base}/charity/public/")
    assert page.url == f"{server.base}/charity/public/"  # no login
    assert "慈善纾困基金" in page.locator("[data-testid=public-special]").inner_text()
    helped = page.locator("[data-testid=public-beneficiary]").all_inner_texts()
    assert helped
    page.locator("details summary").first.click()  # open the community funds list
    _clean(page.content(), names)
    page.screenshot(path=str(shots / "charity-public.png"), full_page=True)

    page.click("text=慈善纾困基金")
    page.wait_for_load_state()
    persons = page.locator("[data-testid=public-beneficiary]").all_inner_texts()
    assert any(p.endswith("某") for p in persons)
    _clean(page.content(), names)
    page.screenshot(path=str(shots / "charity-public-fund.png"), full_page=True)

    api = page.request.get(f"{server.base}/api/v1/public/funds")
    assert api.status == 200 and len(api.json()) >= 250
    _clean(api.text(), names)

    outside = [u for u in requests
               if not u.startswith(("data:", "blob:")) and not u.startswith(server.base + "/")]
    assert outside == []
    assert problems == []


def test_fund_manager_approves_a_waiting_disbursement(server: Server, browser: Any,
                                                      shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("fund_manager")
    login(page, server.base, account["username"], account["password"])
    page.click("nav.ws-nav [data-nav-group=charity] [data-testid=nav-group]")  # the menu
    page.click("nav.ws-nav .dropdown-menu.show >> text=慈善")
    page.wait_for_load_state()
    page.click("[data-testid=awaiting]")
    page.wait_for_load_state()
    rows = page.locator("[data-testid=disbursements-table] tbody tr")
    assert rows.count() >= 2
    rows.first.locator("a").first.click()
    page.wait_for_load_state()
    page.fill("#id_approve_comment", "经核实,同意")
    page.click("[data-testid=approve]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=disbursement-status]").inner_text() in ("已批准,待支付",
                                                                              "待审批")
    assert "经核实,同意" in page.locator("[data-testid=approvals]").inner_text()
    page.screenshot(path=str(shots / "charity-approve.png"), full_page=True)
    assert problems == []
