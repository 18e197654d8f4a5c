"""The residents' front door in a real browser on a phone: large text survives a reload, and
the help tile leads to the intake form. Run with ``pytest -m browser``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wushe.web.tests.browser import Server

pytestmark = pytest.mark.browser


def _font_px(page: Any, selector: str) -> float:
    return float(page.eval_on_selector(
        selector, "e => parseFloat(getComputedStyle(e).fontSize)"))


def test_resident_on_a_phone_turns_on_large_text_and_asks_for_help(
        server: Server, browser: Any, shots: Path) -> None:
    problems: list[str] = []
    requests: list[str] = []
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))

    page.goto(f"{server.base}/")
    assert page.locator("[data-testid=portal]").is_visible()
    assert page.locator("a.ws-tile").count() == 7
    toggle = page.locator("[data-testid=large-text-toggle]")
    assert toggle.get_attribute("aria-pressed") == "false"
    normal = _font_px(page, "body")
    # Every tile is a big target on a phone, and nothing is wider than the screen.
    for box in (t.bounding_box() for t in page.locator("a.ws-tile").all()):
        assert box and box["height"] >= 44 and box["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(shots / "portal-phone.png"), full_page=True)

    toggle.click()
    page.wait_for_load_state()
    assert page.url == f"{server.base}/"
    assert _font_px(page, "body") >= 18 > normal
    assert page.locator("[data-testid=large-text-toggle]").get_attribute("aria-pressed") == "true"
    page.screenshot(path=str(shots / "portal-phone-large.png"), full_page=True)

    page.reload()
    assert "ws-large" in (page.get_attribute("html", "class") or "")
    assert _font_px(page, "body") >= 18
    assert page.locator("[data-testid=large-text-toggle]").get_attribute("aria-pressed") == "true"
    for box in (t.bounding_box() for t in page.locator("a.ws-tile").all()):
        assert box and box["height"] >= 60
    assert page.evaluate("document.documentElement.scrollWidth") <= 390

    page.click("[data-testid=tile-help]")
    page.wait_for_load_state()
    assert page.url == f"{server.base}/needs/submit"
    assert page.locator("form input[name=category]").count() > 0
    assert _font_px(page, "body") >= 18  # the intake form is large too
    page.screenshot(path=str(shots / "portal-help-large.png"), full_page=True)

    outside = [u for u in requests if not u.startswith(("data:", "blob:", server.base + "/"))]
    assert not outside, outside
    assert not problems, problems
    context.close()


def test_public_charity_tables_are_cards_on_a_phone(server: Server, browser: Any,
                                                    shots: Path) -> None:
    """At 390 px every public table row is a card: the cells stack, each shows its column
    header before its value, and nothing is wider than the screen (issue #19 item 5)."""
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844},
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    page = context.new_page()
    page.goto(f"{server.base}/charity/public/?page=1")
    rows = page.locator("table[data-testid=public-special] tbody tr")
    assert rows.count() > 0
    cells = rows.first.locator("td")
    boxes = [cells.nth(i).bounding_box() for i in range(cells.count())]
    assert all(b and 300 < b["width"] and b["x"] + b["width"] <= 390 for b in boxes)  # a card
    assert all(a and b and b["y"] >= a["y"] + a["height"] - 1 for a, b in zip(boxes, boxes[1:], strict=False))
    label = page.eval_on_selector("table[data-testid=public-special] tbody td",
                                  "e => getComputedStyle(e, '::before').content")
    assert label.strip('"') == page.eval_on_selector(
        "table[data-testid=public-special] thead th", "e => e.textContent.trim()")
    assert not page.locator("table[data-testid=public-special] thead").is_visible()
    assert page.locator("table[data-testid=public-community] tbody tr").count() <= 20
    # every card of every table within the screen (the page was 405 px wide at
    # 390: the figure tiles overflowed with grouped yuan)
    widest = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '.ws-cards tr')].filter(e => e.offsetParent).map(e => e.getBoundingClientRect().right))""")
    assert widest <= 390
    figures = page.evaluate("""() => Math.max(...[...document.querySelectorAll(
        '.ws-figure-value')].map(e => e.scrollWidth - e.clientWidth))""")
    assert figures <= 0  # every grouped figure fits its tile
    page.screenshot(path=str(shots / "charity-public-phone.png"), full_page=True)
    context.close()
