"""A large roster import in a real browser: the job page shows a moving progress bar (htmx
polling a worker thread of the real server), then the result."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser
ROWS = 40_000


def _roster(path: Path, community: str) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("roster")
    ws.append(["姓名", "身份证号", "手机号", "住址", "社区代码"])
    surnames, given = "赵钱孙李周吴郑王冯陈", "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
    for i in range(ROWS):
        ws.append([surnames[i % 10] + given[i // 10 % 20] + given[i // 200 % 20], "", "",
                   "", community])
    wb.save(path)


def test_a_roster_import_shows_its_progress_then_the_result(server: Server, browser: Any,
                                                            shots: Path, tmp_path: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("community_staff")
    login(page, server.base, account["username"], account["password"])
    roster = tmp_path / "roster.xlsx"
    _roster(roster, account["region_code"])

    page.goto(f"{server.base}/people/")
    page.click("text=从 Excel 导入")
    page.wait_for_load_state()
    assert page.url == f"{server.base}/people/import"
    page.set_input_files("#id_file", str(roster))
    page.uncheck("#id_dry_run")
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_url("**/imports/*/")

    seen: list[tuple[str, str | None]] = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        # One read of both in the page: htmx may swap the partial between two locator calls,
        # and a locator whose element has just gone waits its whole timeout.
        status, value = page.evaluate("""() => {
            const p = document.querySelector('[data-testid=import-progress]');
            const b = document.querySelector('[role=progressbar]');
            return [p ? p.getAttribute('data-status') || '' : '',
                    b ? b.getAttribute('aria-valuenow') : null];
        }""")
        if not seen or seen[-1] != (status, value):
            seen.append((status, value))
            if status == "running" and len(seen) == 2:
                page.screenshot(path=str(shots / "import-progress.png"), full_page=True)
        if status in ("done", "failed"):
            break
        time.sleep(0.2)
    running = [int(v) for s, v in seen if s == "running" and v is not None]
    assert running, seen  # the bar was shown while the job ran
    assert running == sorted(running) and max(running) > 0, seen  # and it moved forward
    assert seen[-1][0] == "done", seen
    result = page.locator("[data-testid=import-result]").inner_text()
    assert f"{ROWS:,}" in result or str(ROWS) in result
    page.screenshot(path=str(shots / "import-done.png"), full_page=True)
    assert [u for u in requests if not u.startswith(("data:", "blob:", server.base + "/"))] == []
    assert problems == []
