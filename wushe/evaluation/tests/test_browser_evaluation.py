"""Real browser: the evaluator scores its seat, the district records the decision, and the
decision shows on the project page. Run with ``pytest -m browser wushe/evaluation``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser


def test_evaluator_scores_and_the_decision_reaches_the_project_page(
        server: Server, browser: Any, shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("evaluator")
    login(page, server.base, account["username"], account["password"])
    # From the home page's task list to the evaluator's open seats.
    page.click("text=我的评估")
    page.wait_for_load_state()
    assert page.url.endswith("/evaluation/mine")
    rows = page.locator("[data-testid=my-evaluations] tbody tr")
    assert rows.count() == 1 and "杨家坪" in rows.first.inner_text()
    page.screenshot(path=str(shots / "evaluation-mine.png"), full_page=True)

    page.locator("[data-testid=score-link]").first.click()
    page.wait_for_load_state()
    inputs = page.locator("[data-testid=score-form] input[name^=score_]")
    assert inputs.count() == 7
    # A score above the maximum is refused next to its field, nothing is saved.
    inputs.nth(0).fill("99")
    for i in range(1, inputs.count()):
        inputs.nth(i).fill("8")
    page.click("[data-testid=submit-scores]")
    page.wait_for_load_state()
    assert page.locator("[data-testid=form-errors]").is_visible()
    assert page.locator("input.is-invalid").count() == 1
    page.screenshot(path=str(shots / "evaluation-score-error.png"), full_page=True)
    # The refused sheet came back as 400 on purpose; the console reports that, nothing else.
    assert all("400" in p for p in problems)
    problems.clear()
    for i in range(inputs.count()):
        maximum = page.locator("[data-testid=score-form] tbody tr").nth(i).locator(
            "td").nth(1).locator(".small").inner_text()
        top = float(re.findall(r"[\d.]+", maximum)[-1])
        inputs.nth(i).fill(str(top - 1))
        page.locator("[data-testid=score-form] textarea").nth(i).fill("服务记录完整")
    page.click("[data-testid=submit-scores]")
    page.wait_for_load_state()
    match = re.search(r"/evaluation/(\d+)/$", page.url)
    assert match, page.url
    evaluation_id = match.group(1)
    assert page.locator("[data-testid=evaluation-status]").inner_text() == "已评分"
    total = page.locator("[data-testid=total]").inner_text()
    assert re.fullmatch(r"\d+\.\d\d", total)
    suggested = page.locator("[data-testid=suggested]").inner_text()
    page.screenshot(path=str(shots / "evaluation-scored.png"), full_page=True)

    admin_page = new_page(browser, requests, problems)
    admin = server.account("district_admin")
    login(admin_page, server.base, admin["username"], admin["password"])
    admin_page.goto(f"{server.base}/evaluation/{evaluation_id}/")
    form = admin_page.locator("[data-testid=decision-form]")
    form.locator("textarea[name=reason]").fill("四方评分一致,按建议处理")
    form.locator("button[type=submit]").click()
    admin_page.wait_for_load_state()
    decision = admin_page.locator("[data-testid=decision]").inner_text()
    assert decision == suggested
    admin_page.screenshot(path=str(shots / "evaluation-decided.png"), full_page=True)

    admin_page.click("dl a[href^='/projects/']")
    admin_page.wait_for_load_state()
    assert re.search(r"/projects/\d+/$", admin_page.url)
    panel = admin_page.locator("[data-testid=evaluation-panel]")
    assert panel.is_visible()
    assert panel.locator("[data-testid=panel-decision]").inner_text() == decision
    assert total in panel.inner_text()
    admin_page.screenshot(path=str(shots / "evaluation-project-panel.png"), full_page=True)

    outside = [u for u in requests
               if not u.startswith(("data:", "blob:")) and not u.startswith(server.base + "/")]
    assert outside == []
    assert problems == []
