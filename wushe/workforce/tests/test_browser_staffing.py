"""The staffing shortfall page in a real browser over the small demo district."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser


def _outside(requests: list[str], server: Server) -> list[str]:
    return [u for u in requests if not u.startswith(("data:", "blob:"))
            and not u.startswith(server.base + "/")]


def test_street_staff_find_the_communities_short_of_staff(server: Server, browser: Any,
                                                          shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("street_staff")
    login(page, server.base, account["username"], account["password"])

    # Home task → the staffing page.
    page.click("[data-testid=role-card] >> text=社区工作者配备")
    page.wait_for_load_state()
    assert page.url == f"{server.base}/workforce/staffing/"
    assert "社区工作者配备" in page.locator("h1").inner_text()
    required = int(page.locator("[data-testid=required]").inner_text())
    actual = int(page.locator("[data-testid=actual]").inner_text())
    short = int(page.locator("[data-testid=short-communities]").inner_text())
    assert required > 0 and short > 0
    rows = page.locator("[data-testid=shortfall-table] tbody tr")
    total = rows.count()
    assert total > short  # some communities meet the standard
    # The community of community_staff_a is short in the demo, and shows in red.
    community = server.region_name(server.account("community_staff")["region_code"])
    mine = page.locator("[data-testid=shortfall-table] tbody tr", has_text=community)
    assert mine.get_attribute("data-short") == "1"
    page.screenshot(path=str(shots / "staffing.png"), full_page=True)

    # htmx: only the communities short of staff, without leaving the page.
    page.check("#id_short")
    page.wait_for_url("**/workforce/staffing/?*short=on*")
    page.locator("[data-testid=shortfall-table] tbody tr").first.wait_for()
    assert page.locator("[data-testid=shortfall-table] tbody tr").count() == short
    assert page.locator("[data-testid=shortfall-table] tbody tr[data-short='1']").count() == short
    assert int(page.locator("[data-testid=actual]").inner_text()) == actual
    page.screenshot(path=str(shots / "staffing-short.png"), full_page=True)

    # The export is a real workbook.
    response = page.request.get(f"{server.base}/workforce/staffing/export.xlsx?short=on")
    assert response.status == 200 and response.body()[:2] == b"PK"

    assert _outside(requests, server) == []
    assert problems == []


def test_district_admin_sees_every_street_and_the_chart(server: Server, browser: Any,
                                                        shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("district_admin")
    login(page, server.base, account["username"], account["password"])
    page.goto(f"{server.base}/workforce/staffing/")
    streets = page.locator("[data-testid=streets-table] tbody tr")
    assert streets.count() == 19
    page.locator("#staffing-chart svg").wait_for()
    # Pick a street from the table: the page narrows to it.
    name = streets.first.locator("a").inner_text()
    streets.first.locator("a").click()
    page.wait_for_url("**street=*")
    assert name in page.locator("h1").inner_text()
    page.locator("[data-testid=shortfall-table] tbody tr").first.wait_for()
    assert page.locator("[data-testid=streets-table]").count() == 0
    page.screenshot(path=str(shots / "staffing-district.png"), full_page=True)
    assert _outside(requests, server) == []
    assert problems == []


def test_org_staff_open_their_own_organisation(server: Server, browser: Any, shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("org_staff")
    login(page, server.base, account["username"], account["password"])
    page.click("[data-testid=role-card] >> text=本组织")
    page.wait_for_load_state()
    assert "/orgs/" in page.url
    assert page.locator("[data-testid=org-name]").inner_text().startswith("杨家坪社会工作服务中心")
    page.locator("#capacity-chart svg").wait_for()
    page.screenshot(path=str(shots / "org.png"), full_page=True)
    page.goto(f"{server.base}/orgs/")
    assert page.locator("[data-testid=orgs-table] tbody tr").count() == 1
    assert _outside(requests, server) == []
    assert problems == []
