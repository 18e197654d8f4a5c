"""Every KPI table to Excel: one sheet per section (key, label, value, unit, definition), a
sheet of the region's children side by side, and the monthly series."""

from __future__ import annotations

from typing import Any

from wushe.core.excel import workbook_bytes
from wushe.regions.models import Region
from wushe.reports import kpis
from wushe.reports.kpis import KPIS, SECTIONS, Period
from wushe.reports.kpis.base import UNIT_LABELS
from wushe.reports.selectors import children_of

HEADERS = ["指标代码 Key", "指标 Indicator", "Indicator", "数值 Value", "单位 Unit",
           "统计口径", "Definition", "对应原文 Seed text"]


def _rows(values: dict[str, Any], section: str) -> list[list[Any]]:
    return [[k.key, k.zh, k.en, values[k.key], UNIT_LABELS[k.unit][0], k.definition_zh,
             k.definition_en, k.seed] for k in KPIS.values() if k.section == section]


def kpi_workbook(*, region: Region, year: int) -> bytes:
    period = Period.year(year)
    values = kpis.compute(region.path, period)
    totals = kpis.compute(region.path, Period.all(), [k for k, v in KPIS.items() if v.is_flow])
    sheets: list[tuple[str, list[str], Any]] = []
    for section, zh, _en in SECTIONS:
        rows = _rows(values, section)
        if rows:
            sheets.append((f"{zh}"[:31], HEADERS, rows))
    sheets.append(("累计 All time", HEADERS[:4],
                   [[k, KPIS[k].zh, KPIS[k].en, v] for k, v in totals.items()]))
    children = children_of(region)
    if children:
        keys = list(KPIS)
        # One GROUP BY per source for every node below, rather than a compute per child.
        nodes = kpis.grouped_many(list(KPIS.values()), [region.path], period)
        table = [[c.code, c.name, *[nodes.get(c.path, {}).get(k, KPIS[k].default())
                                    for k in keys]] for c in children]
        sheets.append(("下级地区 Children", ["代码 Code", "地区 Region", *keys], table))
    monthly = [k for k, v in KPIS.items() if v.monthly]
    month_rows = [[f"{year}-{m:02d}", *kpis.compute(region.path, Period.month(year, m),
                                                     monthly).values()] for m in range(1, 13)]
    sheets.append(("按月 Monthly", ["月份 Month", *monthly], month_rows))
    sheets.append(("说明 About", ["项目 Item", "值 Value"],
                   [["地区 Region", f"{region.name} ({region.code})"], ["年度 Year", year],
                    ["来源 Source", "wushe KPI module (live)"]]))
    return workbook_bytes(sheets)
