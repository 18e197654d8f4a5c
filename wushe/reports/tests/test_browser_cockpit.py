"""The cockpit and the big screen in a real browser (Chromium via Playwright) as the district
admin, at 1920×1080: both open on the current year; every chart is drawn on a canvas and has
data, or says in the chart why it has none; no two labels ECharts draws overlap (read from its
own display list, rotated boxes included) and none is cut at the chart's edge; no chart heading
covers its chart; no CSP violation, no script error; the big screen fills 1920×1080 without
scrolling. Screenshots are kept in the test's tmp dir (or $WUSHE_SCREENSHOT_DIR)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server, login

pytestmark = pytest.mark.browser

# Charts the small demo may leave empty in the current year (it has no confirmed volunteer
# hours after last year yet); each must then say why. Every other chart must have data.
MAY_BE_EMPTY_THIS_YEAR = {"hours-month", "hours-level"}

# For each chart (elements matching `selector`): whether a series holds a non-zero value, the
# empty-state reason and whether it is drawn, every visible text ECharts drew, the pairs of
# texts whose boxes overlap (separating-axis test on the transformed boxes, 1 px tolerance),
# texts reaching outside the canvas, and whether the chart's heading stays above it.
LABELS = """(selector) => Array.from(document.querySelectorAll(selector)).map(el => {
  const chart = echarts.getInstanceByDom(el);
  if (!chart) { return {id: el.dataset.chart, missing: true}; }
  const opt = chart.getOption();
  const num = v => { if (v === null || v === undefined) return 0;
    if (Array.isArray(v)) return Number(v[v.length - 1]) || 0;
    if (typeof v === 'object') return num(v.value); return Number(v) || 0; };
  const hasData = (opt.series || []).some(s => (s.data || []).some(v => num(v) !== 0));
  const empty = el.dataset.empty || null;
  const zr = chart.getZr();
  const list = zr.storage.getDisplayList(true);
  const boxes = [];
  const seen = new Set();
  list.forEach(d => {
    if (d.type !== 'tspan' && d.type !== 'text') return;
    const e = (d.parent && d.parent.type === 'text') ? d.parent : d;
    if (seen.has(e)) return; seen.add(e);
    if (e.invisible || e.ignore || d.invisible || d.ignore) return;
    if (e.style && (e.style.opacity === 0 || !e.style.text)) return;
    let hidden = false;
    for (let p = e.parent || e.__hostTarget; p; p = p.parent || p.__hostTarget) { if (p.ignore || p.invisible) { hidden = true; break; } }
    if (hidden) return;
    const l = e.getBoundingRect();
    if (l.width <= 0 || l.height <= 0) return;
    const m = e.transform || [1, 0, 0, 1, 0, 0];
    const pts = [[l.x, l.y], [l.x + l.width, l.y], [l.x + l.width, l.y + l.height], [l.x, l.y + l.height]]
      .map(([x, y]) => [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]]);
    const xs = pts.map(p => p[0]), ys = pts.map(p => p[1]);
    boxes.push({text: String(e.style.text), pts, x: Math.min(...xs), y: Math.min(...ys),
                w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys)});
  });
  const overlaps = [];
  const tol = 1;
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    // Separating axes of the two (possibly rotated) rectangles: they overlap by more than
    // `tol` pixels along every edge normal.
    let apart = false;
    for (const q of [a.pts, b.pts]) for (let k = 0; k < 2 && !apart; k++) {
      const ex = q[k + 1][0] - q[k][0], ey = q[k + 1][1] - q[k][1];
      const len = Math.hypot(ex, ey) || 1, nx = -ey / len, ny = ex / len;
      const pa = a.pts.map(p => p[0] * nx + p[1] * ny), pb = b.pts.map(p => p[0] * nx + p[1] * ny);
      if (Math.min(Math.max(...pa), Math.max(...pb)) - Math.max(Math.min(...pa), Math.min(...pb)) <= tol) apart = true;
    }
    if (!apart) overlaps.push(a.text + ' × ' + b.text);
  }
  const W = el.clientWidth, H = el.clientHeight;
  const outside = boxes.filter(b => b.x < -1 || b.y < -1 || b.x + b.w > W + 1 || b.y + b.h > H + 1)
    .map(b => b.text);
  const emptyShown = !!empty && boxes.some(b => b.text === empty);
  const title = el.closest('section') && el.closest('section').querySelector('h2, .card-header');
  const titleClear = !title || title.getBoundingClientRect().bottom <= el.getBoundingClientRect().top + 0.5;
  return {id: el.dataset.chart || el.dataset.probe, hasData, empty, emptyShown, overlaps, outside,
          titleClear, labels: boxes.map(b => b.text)};
})"""

SETTLED = """() => Array.from(document.querySelectorAll('[data-chart]')).every(el => {
  const chart = echarts.getInstanceByDom(el);
  return chart && el.querySelector('canvas') && chart.getZr().animation.isFinished();
})"""

PROBE = """() => {
  const el = document.createElement('div');
  el.dataset.probe = 'probe';
  el.style.cssText = 'width:240px;height:200px;position:absolute;left:0;top:0';
  document.body.appendChild(el);
  echarts.init(el).setOption({animation: false, xAxis: {type: 'category', axisLabel: {interval: 0},
    data: ['第一个很长的类别名称', '第二个很长的类别名称', '第三个很长的类别名称']},
    yAxis: {type: 'value'}, series: [{type: 'bar', data: [1, 2, 3]}]});
}"""


def _signed_in(browser: Any, server: Server, problems: list[str], requests: list[str]) -> Any:
    context = browser.new_context(locale="zh-CN", viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    account = server.account("district_admin")
    login(page, server.base, account["username"], account["password"])
    return page


def _charts(page: Any, where: str, *, may_be_empty: set[str]) -> list[dict[str, Any]]:
    page.wait_for_load_state("networkidle")
    # Every chart drawn and its animation over: labels are read (and shot) where they rest.
    page.wait_for_function(SETTLED)
    charts: list[dict[str, Any]] = page.evaluate(LABELS, "[data-chart]")
    assert len(charts) >= 11, where
    for c in charts:
        assert not c.get("missing"), f"{where} {c['id']}: not drawn"
        if c["empty"]:
            assert c["id"] in may_be_empty, f"{where} {c['id']}: empty ({c['empty']})"
            assert c["emptyShown"], f"{where} {c['id']}: the reason is not drawn: {c['labels']}"
            assert not c["hasData"], f"{where} {c['id']}: data and a reason at once"
        else:
            assert c["hasData"], f"{where} {c['id']}: an empty chart that does not say why"
        assert c["titleClear"], f"{where} {c['id']}: the heading covers the chart"
    overlapping = {c["id"]: c["overlaps"] for c in charts if c["overlaps"]}
    assert not overlapping, f"{where}: overlapping labels {overlapping}"
    cut = {c["id"]: c["outside"] for c in charts if c["outside"]}
    assert not cut, f"{where}: labels cut at the chart's edge {cut}"
    return charts


def test_the_overlap_check_sees_overlapping_labels(server: Server, browser: Any) -> None:
    """The label check is not vacuous: long category names forced side by side overlap."""
    page = _signed_in(browser, server, [], [])
    page.goto(f"{server.base}/reports/screen")
    page.wait_for_load_state("networkidle")
    page.evaluate(PROBE)
    [probe] = page.evaluate(LABELS, "[data-probe]")
    assert probe["hasData"] and probe["overlaps"], probe
    assert "第一个很长的类别名称 × 第二个很长的类别名称" in probe["overlaps"], probe["overlaps"]


def test_cockpit_and_big_screen_at_1920_by_1080(server: Server, browser: Any,
                                                shots: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = _signed_in(browser, server, problems, requests)
    this_year = dt.date.today().year
    empties: dict[str, list[str]] = {}

    # No year asked for: the current year, which the picker shows.
    page.goto(f"{server.base}/reports/")
    assert page.locator("#pick-year").input_value() == str(this_year)
    as_of = page.locator("[data-testid=as-of]").inner_text()
    assert re.search(r"数据截至 \d{4}-\d{2}-\d{2} \d{2}:\d{2}", as_of), as_of
    charts = _charts(page, "cockpit", may_be_empty=MAY_BE_EMPTY_THIS_YEAR)
    empties["cockpit"] = [c["id"] for c in charts if c["empty"]]
    page.screenshot(path=str(shots / "cockpit.png"), full_page=True)

    page.goto(f"{server.base}/reports/screen")
    assert page.locator("#pick-year").input_value() == str(this_year)
    size = page.evaluate("() => [document.documentElement.scrollWidth,"
                         " document.documentElement.scrollHeight]")
    assert size == [1920, 1080]
    charts = _charts(page, "screen", may_be_empty=MAY_BE_EMPTY_THIS_YEAR)
    empties["screen"] = [c["id"] for c in charts if c["empty"]]
    page.screenshot(path=str(shots / "cockpit-screen.png"))

    # Last year: a whole year of every flow in the small demo, so no chart may be empty.
    page.goto(f"{server.base}/reports/screen?year={this_year - 1}")
    _charts(page, "screen last year", may_be_empty=set())
    page.screenshot(path=str(shots / "cockpit-screen-last-year.png"))
    page.goto(f"{server.base}/reports/?year={this_year - 1}")
    _charts(page, "cockpit last year", may_be_empty=set())

    # 2013, before any record: the flow charts say why they are empty, in the chart.
    page.goto(f"{server.base}/reports/screen?year=2013")
    assert page.locator("#pick-year").input_value() == "2013"  # the year shown is the one picked
    charts = _charts(page, "screen 2013", may_be_empty={c["id"] for c in charts})
    empty = {c["id"] for c in charts if c["emptyShown"]}
    assert {"needs-channel", "on-time", "hours-month", "hours-level", "funds"} <= empty, empty
    page.screenshot(path=str(shots / "cockpit-screen-2013.png"))

    print(f"charts empty in {this_year} on the small demo (each says why): {empties}")
    assert not [p for p in problems if "Content Security Policy" in p or "Error" in p], problems
    assert all(r.startswith(server.base) for r in requests)  # nothing from a CDN
