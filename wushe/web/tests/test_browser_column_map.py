"""Mapping a roster's columns by hand in a real browser: a roster whose headers the importer
cannot recognise stops at the column-mapping form; the mapping chosen there imports the rows
and, remembered, lets the next file with the same headers run straight through, until the
user forgets it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from wushe.conftest import make_id_number
from wushe.web.tests.browser import Server, login, new_page

pytestmark = pytest.mark.browser

# Nothing here is a word the person importer knows (居民姓名, 证件号 and 所在社区 are).
HEADERS = ["序号", "居民名", "证件号X", "所在社区X"]
# Field label on the mapping form → the option (column letter · header) to choose.
CHOICES = {"姓名 *": "B · 居民名", "身份证号": "C · 证件号X", "社区代码 *": "D · 所在社区X"}


def _roster(path: Path, community: str, names: list[str], seq: int) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.append(["居民花名册(浏览器测试)"])  # a title row above the headers
    ws.append(HEADERS)
    for i, name in enumerate(names):
        # An unusual birth date: no demo person has these ID numbers.
        ws.append([i + 1, name, make_id_number("110105", "19370707", str(seq + i)), community])
    wb.save(path)
    return path


def _upload(page: Any, base: str, roster: Path) -> str:
    """Upload ``roster`` for real (not a dry run) from the import page; the job's end state."""
    page.goto(f"{base}/people/import")
    page.set_input_files("#id_file", str(roster))
    page.uncheck("#id_dry_run")
    page.click("main form[enctype] button[type=submit]")
    page.wait_for_url("**/imports/*/")
    return _settled(page)


def _settled(page: Any) -> str:
    """Wait until the job page stops polling; its status."""
    progress = page.locator("[data-testid=import-progress]")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        status = progress.get_attribute("data-status") or ""
        if status not in ("", "running"):
            return status
        time.sleep(0.2)
    raise AssertionError("the import did not finish")


def test_columns_mapped_by_hand_are_remembered_until_forgotten(
        server: Server, browser: Any, shots: Path, tmp_path: Path) -> None:
    requests: list[str] = []
    problems: list[str] = []
    page = new_page(browser, requests, problems)
    account = server.account("community_staff")
    community = account["region_code"]
    login(page, server.base, account["username"], account["password"])

    # 1. Headers the importer does not know: the job stops at the mapping form.
    first = _roster(tmp_path / "first.xlsx", community, ["柏甲", "柏乙", "柏丙"], 900)
    status = _upload(page, server.base, first)
    assert status == "mapping", page.locator("[data-testid=import-progress]").inner_text()
    needs = page.locator("[data-testid=import-needs-mapping]").inner_text()
    assert "姓名" in needs and "社区代码" in needs
    form = page.locator("[data-testid=column-map-form]")
    assert form.is_visible()
    options = form.locator("select[name=f_name] option").all_inner_texts()
    assert [o for o in options if "·" in o] == ["A · 序号", "B · 居民名", "C · 证件号X",
                                               "D · 所在社区X"]
    for label, option in CHOICES.items():
        form.get_by_label(label, exact=True).select_option(label=option)
    remember = form.locator("input[name=remember]")
    assert remember.is_checked()  # remembering is the default
    page.screenshot(path=str(shots / "column-map.png"), full_page=True)
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/imports/*/")
    assert _settled(page) == "done"
    result = page.locator("[data-testid=import-result]").inner_text()
    assert "已导入 3 行" in result and "有错误 0 行" in result, result
    columns = page.locator("[data-testid=import-mapping]")
    columns.locator("summary").click()
    rows = [r.locator("td").all_inner_texts()
            for r in columns.locator("tbody tr").all()]
    assert ["B", "居民名", "姓名"] in rows and ["C", "证件号X", "身份证号"] in rows \
        and ["D", "所在社区X", "社区代码"] in rows, rows
    page.screenshot(path=str(shots / "column-map-done.png"), full_page=True)

    # 2. The mapping is remembered: shown on the import page, and the next file with the same
    # headers runs straight through, with no mapping form.
    page.goto(f"{server.base}/people/import")
    kept = page.locator("[data-testid=remembered-mapping]")
    assert kept.is_visible() and "姓名 ← 居民名" in kept.inner_text()
    second = _roster(tmp_path / "second.xlsx", community, ["柏丁", "柏戊"], 910)
    assert _upload(page, server.base, second) == "done"
    assert page.locator("[data-testid=column-map-form]").count() == 0
    result = page.locator("[data-testid=import-result]").inner_text()
    assert "已导入 2 行" in result and "有错误 0 行" in result, result

    # 3. Forgotten: the import page no longer shows it, and a third file stops at the form.
    page.goto(f"{server.base}/people/import")
    page.locator("[data-testid=remembered-mapping] button[name=forget_mapping]").click()
    page.wait_for_load_state()
    assert page.url == f"{server.base}/people/import"
    assert page.locator("[data-testid=remembered-mapping]").count() == 0
    third = _roster(tmp_path / "third.xlsx", community, ["柏己"], 920)
    assert _upload(page, server.base, third) == "mapping"
    assert page.locator("[data-testid=column-map-form]").is_visible()

    assert [u for u in requests if not u.startswith(("data:", "blob:", server.base + "/"))] == []
    assert problems == []
