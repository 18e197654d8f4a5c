"""The whole loop in a real browser: a resident asks for help on the public page (one
question per screen, on a phone) → community staff accept and dispatch to the committee and
every other society the district has connected → the need is taken, handled, resolved → the
resident follows it by tracking code and rates it.

Runs on the shared ``server`` fixture: ``pytest -m browser wushe/needs``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser

NAME, PHONE = "欧阳娜娜", "13987654321"


def test_resident_to_dispatch_to_rating(server: Server, browser: Any, shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    staff = server.account("community_staff")
    community = staff["region_code"]

    # 1. A resident, on a phone, no account.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                is_mobile=True, has_touch=True)
    resident = phone.new_page()
    resident.on("request", lambda r: requests.append(r.url))
    resident.on("pageerror", lambda e: problems.append(str(e)))
    resident.goto(f"{server.base}/needs/submit?c={community}")
    assert "1" in resident.locator("[data-testid=step-title]").inner_text()
    resident.locator("label", has_text="养老服务").click()
    resident.click("[data-testid=next]")
    assert resident.locator("select[name=community]").input_value() == community
    resident.click("[data-testid=next]")
    resident.fill("textarea[name=description]", "独居老人腿脚不便,希望有人每周上门助餐")
    resident.click("[data-testid=next]")
    resident.fill("input[name=contact_name]", NAME)
    resident.fill("input[name=contact_phone]", PHONE)
    resident.click("[data-testid=next]")
    assert "独居老人" in resident.locator("[data-testid=summary]").inner_text()
    resident.click("[data-testid=next]")  # without consent: refused, nothing sent
    assert resident.locator("[data-testid=form-errors]").is_visible()
    resident.check("input[name=consent]")
    resident.screenshot(path=str(shots / "needs-public-confirm.png"), full_page=True)
    resident.click("[data-testid=next]")
    code = resident.locator("[data-testid=new-code]").inner_text().strip()
    assert len(code) == 14
    resident.screenshot(path=str(shots / "needs-public-submitted.png"), full_page=True)

    # 2. Community staff: the queue, accept, dispatch with reasons.
    page = new_page(browser, requests, problems)
    login(page, server.base, staff["username"], staff["password"])
    page.goto(f"{server.base}/needs/?bucket=todo")
    page.click(f"text={code}")
    page.wait_for_load_state()
    assert "待受理" in page.locator("[data-testid=need-state]").inner_text()
    page.locator("[data-testid=action-accept] summary").click()
    page.click("[data-testid=submit-accept]")
    page.wait_for_load_state()
    dispatch = page.locator("[data-testid=action-dispatch]")
    dispatch.locator("summary").click()
    candidates = dispatch.locator("[data-testid=candidate]")
    assert candidates.count() >= 2
    societies = []
    for i in range(candidates.count()):
        c = candidates.nth(i)
        society = c.get_attribute("data-society")
        assert c.locator("[data-testid=reasons] li").count() >= 1  # every suggestion says why
        if society not in societies:  # the best of each connected society
            societies.append(society)
            c.locator("input[name=pick]").check()
    # one need, several societies: the committee, a volunteer team and a fund at least
    assert {"committee", "volunteer_team", "fund"} <= set(societies), societies
    dispatch.locator("[data-testid=candidate][data-society=committee] input[name=lead]") \
        .first.check()
    # the fund is asked for an amount: dispatch makes the disbursement request on its side
    dispatch.locator("input[name=fund_amount]").fill("500")
    page.screenshot(path=str(shots / "needs-dispatch.png"), full_page=True)
    page.click("[data-testid=submit-dispatch]")
    page.wait_for_load_state()
    assert "已派单" in page.locator("[data-testid=need-state]").inner_text()
    # the team got an activity for the need, the fund a disbursement request
    team_ref = page.locator("[data-testid=assignment-volunteer_team] [data-testid=linked-record]")
    assert "volunteers.activity:" in team_ref.inner_text()
    fund_ref = page.locator("[data-testid=assignment-fund] [data-testid=linked-record]")
    assert "charity.disbursement:" in fund_ref.inner_text() and "500" in fund_ref.inner_text()

    # 3. Each assignee's part is taken (staff may confirm on an assignee's behalf).
    for society in societies:
        page.click(f"[data-testid=take-{society}]")
        page.wait_for_load_state()
    assert "已接单" in page.locator("[data-testid=need-state]").inner_text()
    page.locator("[data-testid=action-handle] summary").click()
    page.click("[data-testid=submit-handle]")
    page.wait_for_load_state()
    page.locator("[data-testid=action-resolve] summary").click()
    page.fill("#id_resolve_result", "已安排志愿者每周两次上门助餐")
    page.click("[data-testid=submit-resolve]")
    page.wait_for_load_state()
    assert "已办结" in page.locator("[data-testid=need-state]").inner_text()
    assert len(page.locator("[data-testid=societies] .badge").all()) == len(societies)
    page.screenshot(path=str(shots / "needs-resolved.png"), full_page=True)

    # 4. The resident follows it by code and rates it; no personal data on the way.
    resident.goto(f"{server.base}/needs/track")
    resident.fill("input[name=code]", code.replace("-", "").lower())
    resident.click("form[method=get] button[type=submit]")
    resident.wait_for_load_state()
    status = resident.locator("[data-testid=public-status]").inner_text()
    assert "已办结" in status and "已派给服务力量办理" in status
    text = resident.content()
    for secret in (NAME, PHONE, PHONE[-4:], "独居老人腿脚", staff["username"]):
        assert secret not in text, secret
    resident.locator("[data-testid=rating-form] label", has_text="5").click()
    resident.fill("textarea[name=comment]", "很及时,谢谢")
    resident.click("[data-testid=rating-form] button[type=submit]")
    resident.wait_for_load_state()
    assert "已评价" in resident.locator("[data-testid=public-state]").inner_text()
    resident.screenshot(path=str(shots / "needs-rated.png"), full_page=True)

    page.reload()
    assert "已评价" in page.locator("[data-testid=need-state]").inner_text()
    outside = [u for u in requests
               if not u.startswith(("data:", "blob:")) and not u.startswith(server.base + "/")]
    assert outside == []
    assert problems == []
