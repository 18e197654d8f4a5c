"""The supervisor's calendar and an overdue visit recorded, in a real browser over the small
demo district."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser


def _outside(requests: list[str], server: Server) -> list[str]:
    return [u for u in requests if not u.startswith(("data:", "blob:"))
            and not u.startswith(server.base + "/")]


def test_street_staff_record_an_overdue_visit(server: Server, browser: Any,
                                              shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("street_staff")
    login(page, server.base, account["username"], account["password"])

    # The menu (社会工作 → 督导) → the calendar of this month, coloured by state.
    group = page.locator("nav.ws-nav [data-nav-group=social_work]")
    toggle = group.locator("[data-testid=nav-group]")
    if toggle.count():  # a menu of several entries opens; one of one entry is a plain link
        toggle.click()
        page.click('nav.ws-nav .dropdown-menu.show >> text="督导"')
    else:
        group.locator('text="督导"').click()
    page.wait_for_load_state()
    assert page.url.startswith(f"{server.base}/supervision/")
    assert page.locator("[data-testid=calendar]").count() == 1
    title = page.locator("[data-testid=month-title]").inner_text()
    page.screenshot(path=str(shots / "supervision-calendar.png"), full_page=True)

    # htmx: the previous month without leaving the page, then a filter keeps that month.
    page.click("[data-testid=prev-month]")
    page.wait_for_url("**/supervision/?year=*")
    page.wait_for_function(
        "t => document.querySelector('[data-testid=month-title]').innerText !== t", arg=title)
    earlier = page.locator("[data-testid=month-title]").inner_text()
    assert page.locator("[data-testid=calendar] a.badge").count() > 0
    page.select_option("#id_tier", "centre_to_station")
    page.wait_for_url("**tier=centre_to_station**")
    assert page.locator("[data-testid=month-title]").inner_text() == earlier
    page.screenshot(path=str(shots / "supervision-calendar-filtered.png"), full_page=True)

    # The overdue list → the oldest overdue visit → record the four checks.
    page.click("[data-testid=supervision-tabs] >> text=逾期督导")
    page.wait_for_load_state()
    rows = page.locator("[data-testid=overdue-table] tbody tr")
    before = rows.count()
    assert before >= 1
    rows.first.locator("a").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-state=overdue]").count() >= 1
    page.click("[data-testid=record-visit]")
    page.wait_for_load_state()
    page.check("#id_progress_result_0")
    page.check("#id_spending_result_0")
    page.fill("#id_spent_amount", "40000")
    page.check("#id_staffing_result_0")
    page.fill("#id_staff_on_post", "3")
    page.check("#id_outcomes_result_1")  # concern: a note is required
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=form-errors]").count() == 1
    # The refusal is a 400 (the console says so); nothing else went wrong.
    assert problems and all("400" in p for p in problems), problems
    problems.clear()
    page.fill("#id_outcomes_note", "活动成效材料不完整")
    page.fill("#id_findings", "进度正常,成效材料需补充")
    page.screenshot(path=str(shots / "supervision-record.png"), full_page=True)
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=form-errors]").count() == 0, \
        page.locator("[data-testid=form-errors]").inner_text()
    assert page.locator("[data-state=done]").count() == 1
    assert "活动成效材料不完整" in page.locator("[data-testid=checks]").inner_text()

    # A rectification item on what was found.
    page.click("text=添加整改事项")
    page.wait_for_load_state()
    page.fill("#id_item", "补充活动成效材料")
    page.fill("#id_due_on", "2099-01-01")
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    assert all("400" in p for p in problems), problems  # the due date two years out
    problems.clear()
    page.fill("#id_due_on", (dt.date.today() + dt.timedelta(days=30)).isoformat())
    page.click("[data-testid=submit]")
    page.wait_for_load_state()
    assert "补充活动成效材料" in page.locator("[data-testid=rectification-items]").inner_text()
    page.screenshot(path=str(shots / "supervision-visit.png"), full_page=True)

    page.goto(f"{server.base}/supervision/overdue/")
    assert page.locator("[data-testid=overdue-table] tbody tr a").count() == before - 1 or \
        before > 20  # more than one page: the count shown is a page
    # The export is a job for the worker: its page shows the workbook once written.
    page.goto(f"{server.base}/supervision/records/")
    page.click("[data-testid=export]")
    page.wait_for_url("**/exports/*/")
    link = page.locator("[data-testid=export-file]")
    link.wait_for(timeout=60000)
    response = page.request.get(server.base + str(link.get_attribute("href")))
    assert response.status == 200 and response.body()[:2] == b"PK"
    assert _outside(requests, server) == []
    assert problems == []
