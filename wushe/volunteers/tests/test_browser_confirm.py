"""Real browser: a team leader confirms a volunteer's hours; the volunteer's total and star
level change on the page (the demo volunteer stands at 98.5 h, a 3 h record is pending)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser


def test_leader_confirms_hours_and_the_volunteer_gains_a_star(server: Server, browser: Any,
                                                              shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []

    # The volunteer's own page, before.
    mine = new_page(browser, requests, problems)
    volunteer = server.account("volunteer")
    login(mine, server.base, volunteer["username"], volunteer["password"])
    mine.goto(f"{server.base}/volunteers/me/")
    assert mine.locator("[data-testid=my-hours]").inner_text() == "98.50"
    assert mine.locator("[data-testid=stars]").first.get_attribute("data-stars") == "0"
    number = mine.locator(".ws-figure .ws-mono").first.inner_text().strip()
    mine.screenshot(path=str(shots / "volunteer-before.png"), full_page=True)

    # The leader finds the record in the queue and confirms it.
    page = new_page(browser, requests, problems)
    leader = server.account("team_leader")
    login(page, server.base, leader["username"], leader["password"])
    page.click("nav.ws-nav [data-nav-group=volunteers] [data-testid=nav-group]")  # the menu
    page.click("nav.ws-nav .dropdown-menu.show >> text=待确认时长")
    page.wait_for_load_state()
    row = page.locator(f"tr[data-volunteer='{number}']")
    assert row.count() == 1
    page.screenshot(path=str(shots / "queue.png"), full_page=True)
    row.locator("[data-testid=confirm-one]").click()
    page.wait_for_load_state()
    assert page.locator(f"tr[data-volunteer='{number}']").count() == 0
    assert page.locator(".alert-success").count() == 1

    # The leader sees the new total and star level on the volunteer's profile.
    page.goto(f"{server.base}/volunteers/?q={number}")
    page.locator("[data-testid=volunteers-table] tbody a").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=volunteer-hours]").inner_text() == "101.50"
    assert page.locator("[data-testid=stars]").first.get_attribute("data-stars") == "1"
    page.screenshot(path=str(shots / "volunteer-profile.png"), full_page=True)

    # And so does the volunteer.
    mine.reload()
    assert mine.locator("[data-testid=my-hours]").inner_text() == "101.50"
    assert mine.locator("[data-testid=stars]").first.get_attribute("data-stars") == "1"
    mine.screenshot(path=str(shots / "volunteer-after.png"), full_page=True)

    outside = [u for u in requests
               if not u.startswith(("data:", "blob:")) and not u.startswith(server.base + "/")]
    assert outside == []
    assert problems == []
