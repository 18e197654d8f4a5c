"""The reports API at /api/v1/reports: the cockpit's data, the KPI catalogue, live figures."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from wushe.core.dbrouter import replica_reads
from wushe.reports import charts, rollup, selectors
from wushe.reports.kpis import KPIS, Period

router = Router(tags=["reports"])


@router.get("/cockpit", summary="Cockpit data of a region and year (from the rollups)")
@replica_reads  # read-only: from the standby when configured
def cockpit(request: HttpRequest, region: str = "", year: str = "") -> dict[str, Any]:
    picked = selectors.report_region(actor=request.user, code=region)
    return charts.cockpit(picked, selectors.report_year(year), rollup.last_run())


@router.get("/kpis", summary="The KPI catalogue: key, labels, unit, definition")
@replica_reads
def kpi_catalogue(request: HttpRequest) -> list[dict[str, Any]]:
    selectors.report_regions(actor=request.user)  # reports.view somewhere, else 403
    return [{"key": k.key, "zh": k.zh, "en": k.en, "unit": str(k.unit), "section": k.section,
             "flow": k.is_flow, "definition_zh": k.definition_zh,
             "definition_en": k.definition_en, "seed": k.seed} for k in KPIS.values()]


@router.get("/figures", summary="Live KPI values of a region for a period (year, month or "
                                 "a range start..end)")
@replica_reads
def figures(request: HttpRequest, region: str = "", period: str = "") -> dict[str, Any]:
    picked = selectors.report_region(actor=request.user, code=region)
    p = Period.parse(period or str(selectors.report_year("")))
    return {"region": picked.code, "period": p.key,
            "values": selectors.live_figures(region=picked, period=p)}
