"""Issue #15's acceptance in a real browser, every account on a phone (390×844): a resident
opens ``/``, turns on large text and asks for help → the community's staff find the need in
"My work" on their home, accept it and dispatch it to a social organisation (the lead) and a
fund (support, with an amount) → the organisation's staff and the fund's manager each find it
on their home; the staff take it, the manager approves the disbursement request dispatch made
(which takes the fund's assignment) → the lead handles and resolves it → the manager pays the
request → no home shows an item for that need or its request any more.

Runs on the shared ``server`` fixture (small demo, a real ``wushe worker``):
``pytest -m browser wushe/web/tests/test_browser_linkage_flow.py``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login

pytestmark = pytest.mark.browser

PHONE = {"locale": "zh-CN", "viewport": {"width": 390, "height": 844}, "is_mobile": True,
         "has_touch": True}
AMOUNT = "300"  # under the funds' second-approval threshold: one manager's approval suffices


def _org_name(server: Server, username: str) -> str:
    """The organisation the demo's ``org_staff`` account acts for (its object grant)."""
    with sqlite3.connect(f"file:{server.data_dir / 'wushe.sqlite3'}?mode=ro", uri=True) as db:
        row = db.execute(
            "select o.name from accounts_rolegrant g join accounts_user u on u.id = g.user_id "
            "join orgs_socialorganization o on o.id = g.org_id where u.username = ?",
            (username,)).fetchone()
    return str(row[0])


class Phone:
    """One account's browser on its own phone, collecting requests and page errors."""

    def __init__(self, browser: Any, server: Server, requests: list[str],
                 problems: list[str]) -> None:
        self.server = server
        self.context = browser.new_context(**PHONE)
        self.page = self.context.new_page()
        self.page.on("request", lambda r: requests.append(r.url))
        self.page.on("console",
                     lambda m: problems.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: problems.append(str(e)))

    def sign_in(self, account: dict[str, Any]) -> None:
        login(self.page, self.server.base, account["username"], account["password"])
        assert not self.page.url.startswith(f"{self.server.base}/login"), self.page.url

    def home_items(self, code: str, *links: str) -> list[tuple[str, str]]:
        """(kind, link) of every item on the home's "My work" that names the need ``code`` or
        links to one of ``links`` (the need's linked records: a disbursement request's item
        names the request, not the need)."""
        self.page.goto(f"{self.server.base}/")
        assert self.page.locator("[data-testid=my-work]").is_visible()
        found = []
        for group in self.page.locator("[data-testid=work-group]").all():
            for item in group.locator("[data-testid=work-item]").all():
                href = item.locator("a").get_attribute("href") or ""
                if code in item.inner_text() or href in links:
                    found.append((group.get_attribute("data-kind") or "", href))
        return found

    def open_item(self, code: str, kind: str) -> None:
        items = [link for k, link in self.home_items(code) if k == kind]
        assert items, (kind, self.home_items(code))
        self.page.click(f"[data-testid=work-group][data-kind='{kind}'] "
                        f"[data-testid=work-item] a:has-text('{code}')")
        self.page.wait_for_load_state()
        assert self.page.locator("[data-testid=tracking-code]").inner_text().strip() == code

    def state(self) -> str:
        return str(self.page.locator("[data-testid=need-state]").inner_text())

    def no_horizontal_scroll(self) -> None:
        assert self.page.evaluate("document.documentElement.scrollWidth") <= 390 + 1


def test_resident_to_community_to_org_and_fund_to_resolved_all_items_closed(
        server: Server, browser: Any, shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    staff = server.account("community_staff")
    org_staff = server.account("org_staff")
    manager = server.account("fund_manager")
    community = staff["region_code"]
    org_name = _org_name(server, org_staff["username"])

    # 1. A resident on a phone: the front door, large text, 我要求助.
    resident = Phone(browser, server, requests, problems)
    page = resident.page
    page.goto(f"{server.base}/")
    assert page.locator("[data-testid=portal]").is_visible()
    page.click("[data-testid=large-text-toggle]")
    page.wait_for_load_state()
    assert "ws-large" in (page.get_attribute("html", "class") or "")
    page.click("[data-testid=tile-help]")
    page.wait_for_load_state()
    page.locator("label", has_text="养老服务").click()
    page.click("[data-testid=next]")
    page.select_option("select[name=community]", community)
    page.click("[data-testid=next]")
    page.fill("textarea[name=description]", "独居老人行动不便,希望有人上门照护并申请临时救助")
    page.click("[data-testid=next]")
    page.fill("input[name=contact_name]", "欧阳娜娜")
    page.fill("input[name=contact_phone]", "13987654321")
    page.click("[data-testid=next]")
    page.check("input[name=consent]")
    resident.no_horizontal_scroll()
    page.click("[data-testid=next]")
    code = page.locator("[data-testid=new-code]").inner_text().strip()
    assert len(code) == 14
    page.screenshot(path=str(shots / "flow-1-resident-submitted.png"), full_page=True)

    # 2. The community's staff: the need is on their home; accept, then dispatch.
    cs = Phone(browser, server, requests, problems)
    cs.sign_in(staff)
    cs.page.screenshot(path=str(shots / "flow-2-community-home.png"), full_page=True)
    cs.open_item(code, "needs.need.accept")
    cs.page.locator("[data-testid=action-accept] summary").click()
    cs.page.click("[data-testid=submit-accept]")
    cs.page.wait_for_load_state()
    assert [k for k, _ in cs.home_items(code)] == ["needs.need.dispatch"]
    cs.open_item(code, "needs.need.dispatch")
    dispatch = cs.page.locator("[data-testid=action-dispatch]")
    dispatch.locator("summary").click()
    org = dispatch.locator("[data-testid=candidate][data-society=organisation]",
                           has_text=org_name)
    assert org.count() == 1, f"{org_name} is not among the suggested organisations"
    org.locator("input[name=pick]").check()
    org.locator("input[name=lead]").check()
    fund = dispatch.locator("[data-testid=candidate][data-society=fund]").first
    fund.locator("input[name=pick]").check()  # the best fund the page suggests
    dispatch.locator("input[name=fund_amount]").fill(AMOUNT)
    cs.no_horizontal_scroll()
    cs.page.screenshot(path=str(shots / "flow-3-dispatch.png"), full_page=True)
    cs.page.click("[data-testid=submit-dispatch]")
    cs.page.wait_for_load_state()
    assert "已派单" in cs.state(), cs.state()
    fund_ref = cs.page.locator("[data-testid=assignment-fund] [data-testid=linked-record]")
    assert "charity.disbursement:" in fund_ref.inner_text() and AMOUNT in fund_ref.inner_text()
    request = fund_ref.locator("a").get_attribute("href") or ""
    assert request.startswith("/charity/disbursements/"), request
    assert cs.home_items(code) == []  # nothing left for the community to do

    # 3. The organisation's staff find it on their home and take it.
    org_phone = Phone(browser, server, requests, problems)
    org_phone.sign_in(org_staff)
    org_phone.page.screenshot(path=str(shots / "flow-4-org-home.png"), full_page=True)
    org_phone.open_item(code, "needs.assignment.take")
    need_url = org_phone.page.url  # the need's page, where the lead will resolve it
    org_phone.page.click("[data-testid=take-organisation]")
    org_phone.page.wait_for_load_state()
    assert org_phone.home_items(code) == []

    # 4. The fund's manager finds the request dispatch made on their home (one item: the
    #    request to approve) and approves it, which takes the fund's assignment.
    fm = Phone(browser, server, requests, problems)
    fm.sign_in(manager)
    fm.page.screenshot(path=str(shots / "flow-5-fund-home.png"), full_page=True)
    assert fm.home_items(code, request) == [("charity.disbursement.approve", request)]
    fm.page.click(f"[data-testid=work-group][data-kind='charity.disbursement.approve'] "
                  f"[data-testid=work-item] a[href='{request}']")
    fm.page.wait_for_load_state()
    # "Awaiting approval" of a disbursement: 待审批
    assert "待审批" in fm.page.locator("[data-testid=disbursement-status]").inner_text()
    fm.page.click("[data-testid=approve]")
    fm.page.wait_for_load_state()
    assert "已批准" in fm.page.locator("[data-testid=disbursement-status]").inner_text()
    fm.page.screenshot(path=str(shots / "flow-6-approved.png"), full_page=True)
    # What is left for the fund is paying it, its next step.
    assert fm.home_items(code, request) == [("charity.disbursement.pay", request)]

    # 5. The lead (the organisation) handles and resolves it.
    page = org_phone.page
    page.goto(need_url)
    assert "已接单" in org_phone.state(), org_phone.state()
    page.locator("[data-testid=action-handle] summary").click()
    page.click("[data-testid=submit-handle]")
    page.wait_for_load_state()
    page.locator("[data-testid=action-resolve] summary").click()
    page.fill("#id_resolve_result", "社工每周两次上门照护,临时救助金已批准")
    page.click("[data-testid=submit-resolve]")
    page.wait_for_load_state()
    assert "已办结" in org_phone.state(), org_phone.state()
    societies = page.locator("[data-testid=societies]").inner_text()
    assert "慈善" in societies or "基金" in societies, societies  # charity counts in the linkage
    page.screenshot(path=str(shots / "flow-7-resolved.png"), full_page=True)

    # 6. The fund's manager pays it (which finishes the fund's part of the need).
    fm.page.goto(f"{server.base}{request}")
    fm.page.click("[data-testid=pay]")
    fm.page.wait_for_load_state()
    assert "已支付" in fm.page.locator("[data-testid=disbursement-status]").inner_text()
    fm.page.screenshot(path=str(shots / "flow-8-paid.png"), full_page=True)

    # 7. Every item involved is closed: no home shows the need or its request.
    for phone in (cs, org_phone, fm):
        assert phone.home_items(code, request) == []
        phone.no_horizontal_scroll()
    outside = [u for u in requests if not u.startswith(("data:", "blob:", server.base + "/"))]
    assert not outside, outside
    assert not problems, problems
    for phone in (resident, cs, org_phone, fm):
        phone.context.close()
