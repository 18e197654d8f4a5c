"""Community complexes API at /api/v1/complexes: each complex with its operator, service lines
and approved figures, read-only. A complex out of scope answers 404 like a missing one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from wushe.complexes import selectors
from wushe.complexes.models import Complex
from wushe.core.apitypes import Id
from wushe.core.paging import paginate

router = Router(tags=["complexes"])


class ComplexOut(Schema):
    id: int
    site_name: str
    community_code: str
    brand: str
    operator_name: str
    operator_kind: str
    share_percent: Decimal | None
    revenue: Decimal
    profit: Decimal
    reinvested: Decimal


class LineOut(Schema):
    kind: str
    name: str
    opening_hours: str


class ReportOut(Schema):
    year: int
    quarter: int
    status: str
    revenue: Decimal
    profit: Decimal
    reinvested: Decimal | None


class ComplexDetailOut(ComplexOut):
    lines: list[LineOut]
    reports: list[ReportOut]


def _base(c: Complex) -> dict[str, Any]:
    return {"id": c.pk, "site_name": c.site.name, "community_code": c.community.code,
            "brand": c.brand, "operator_name": c.operator_name,
            "operator_kind": c.operator_kind, "share_percent": c.share_percent}


@router.get("", response=list[ComplexOut])
@paginate
def complex_list(request: HttpRequest) -> Any:
    return [{**_base(c), "revenue": c.revenue_total,  # type: ignore[attr-defined]
             "profit": c.profit_total,  # type: ignore[attr-defined]
             "reinvested": c.reinvested_total}  # type: ignore[attr-defined]
            for c in selectors.complex_list(actor=request.user)]


@router.get("/{complex_id}", response=ComplexDetailOut)
def complex_detail(request: HttpRequest, complex_id: Id) -> dict[str, Any]:
    complex_ = selectors.complex_get(actor=request.user, complex_id=complex_id)
    figures = selectors.complex_figures(complex_=complex_)
    return {**_base(complex_), "revenue": figures["revenue"], "profit": figures["profit"],
            "reinvested": figures["reinvested"],
            "lines": [{"kind": line.kind, "name": line.name,
                       "opening_hours": line.opening_hours}
                      for line in selectors.complex_lines(complex_=complex_)],
            "reports": [{"year": r.year, "quarter": r.quarter, "status": r.status,
                         "revenue": r.revenue, "profit": r.profit, "reinvested": r.reinvested}
                        for r in selectors.complex_reports(complex_=complex_)]}
