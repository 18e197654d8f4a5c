"""The cockpit in a real browser (Chromium via Playwright) as the district admin: every
chart is drawn on a canvas with non-empty data; no CSP violation, no script error; the big
screen fills 1920×1080 without scrolling."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser

CHART_DATA = """() => Array.from(document.querySelectorAll('[data-chart]')).map(el => {
  const chart = echarts.getInstanceByDom(el);
  if (!chart) { return [el.dataset.chart, -1, 0]; }
  const series = chart.getOption().series;
  const n = series.reduce((sum, s) => sum + (s.data || []).filter(
      v => v !== null && (typeof v !== 'object' || v.value !== null)).length, 0);
  return [el.dataset.chart, n, el.querySelectorAll('canvas').length];
})"""


def test_cockpit_charts_render_as_district_admin(server: Server, browser: Any,
                                                 shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("district_admin")
    login(page, server.base, account["username"], account["password"])
    # Last year: a whole year of every flow (the small demo's volunteer hours end there).
    year = dt.date.today().year - 1
    page.goto(f"{server.base}/reports/?year={year}")
    page.wait_for_load_state("networkidle")
    as_of = page.locator("[data-testid=as-of]").inner_text()
    assert re.search(r"数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", as_of), as_of
    charts = page.evaluate(CHART_DATA)
    assert len(charts) >= 11
    first = page.evaluate("() => echarts.getInstanceByDom("
                          "document.querySelector('[data-chart]')).getOption().series[0]"
                          ".data.length")
    assert first > 0
    for chart_id, points, canvases in charts:
        assert canvases >= 1, f"{chart_id}: no canvas"
        assert points > 0, f"{chart_id}: no data"
    assert not [p for p in problems if "Content Security Policy" in p or "Error" in p], problems
    assert all(r.startswith(server.base) for r in requests)  # nothing from a CDN
    page.screenshot(path=str(shots / "cockpit.png"), full_page=True)

    screen = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    big = screen.new_page()
    login(big, server.base, account["username"], account["password"])
    big.goto(f"{server.base}/reports/screen?year={year}")
    big.wait_for_load_state("networkidle")
    size = big.evaluate("() => [document.documentElement.scrollWidth,"
                        " document.documentElement.scrollHeight]")
    assert size == [1920, 1080]
    assert all(n > 0 for _id, n, _c in big.evaluate(CHART_DATA))
    big.screenshot(path=str(shots / "cockpit-screen.png"))
