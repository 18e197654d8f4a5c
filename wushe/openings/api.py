"""Read endpoints of the opening balances at /api/v1/openings (scoped like the pages)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from wushe.core.paging import paginate
from wushe.openings import selectors
from wushe.openings.models import OpeningBalance

router = Router(tags=["openings"])


class OpeningOut(Schema):
    id: int
    kpi: str
    kpi_label: str
    region_code: str
    as_of: str
    value: str
    source: str
    state: str
    current: bool


def _out(b: OpeningBalance) -> dict[str, Any]:
    from wushe.reports.kpis import KPIS

    kpi = KPIS.get(b.kpi_key)
    return {"id": b.pk, "kpi": b.kpi_key, "kpi_label": kpi.zh if kpi else "",
            "region_code": b.region.code, "as_of": b.as_of.isoformat(), "value": str(b.value),
            "source": b.source, "state": b.state, "current": b.is_current}


@router.get("", response=list[OpeningOut])
@paginate
def opening_list(request: HttpRequest, state: str = "") -> Any:
    return [_out(b) for b in selectors.opening_list(actor=request.user, state=state)]


@router.get("/{balance_id}", response=OpeningOut)
def opening_detail(request: HttpRequest, balance_id: int) -> dict[str, Any]:
    return _out(selectors.opening_get(actor=request.user, balance_id=balance_id))
