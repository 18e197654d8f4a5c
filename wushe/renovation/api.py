"""Renovation API at /api/v1/renovation: the 强基赋能 programmes and their centres, read-only.
Thin over the selectors: a programme out of scope answers 404 like a missing one."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from wushe.core.apitypes import Id
from wushe.core.paging import paginate
from wushe.renovation import selectors
from wushe.renovation.models import Programme, Renovation

router = Router(tags=["renovation"])


class ProgrammeOut(Schema):
    id: int
    name: str
    region_code: str
    department: str
    start_year: int
    end_year: int
    total_budget: Decimal


class RenovationOut(Schema):
    id: int
    site_id: int
    site_name: str
    region_path: str
    budget: Decimal
    contract_amount: Decimal | None
    spent: Decimal
    progress: str
    accepted_on: str | None


class ProgrammeDetailOut(ProgrammeOut):
    sites: int
    budget: Decimal
    contracted: Decimal
    spent: Decimal
    by_progress: dict[str, int]
    renovations: list[RenovationOut]


def programme_out(p: Programme) -> dict[str, Any]:
    return {"id": p.pk, "name": p.name, "region_code": p.region.code,
            "department": p.department, "start_year": p.start_year, "end_year": p.end_year,
            "total_budget": p.total_budget}


def renovation_out(r: Renovation) -> dict[str, Any]:
    return {"id": r.pk, "site_id": r.site_id, "site_name": r.site.name,
            "region_path": r.region_path, "budget": r.budget,
            "contract_amount": r.contract_amount,
            "spent": getattr(r, "spent", None) or Decimal("0"), "progress": r.progress,
            "accepted_on": r.accepted_on.isoformat() if r.accepted_on else None}


@router.get("/programmes", response=list[ProgrammeOut])
@paginate
def programme_list(request: HttpRequest) -> Any:
    return [programme_out(p) for p in selectors.programme_list(actor=request.user)
            .order_by("-start_year", "id")]


@router.get("/programmes/{programme_id}", response=ProgrammeDetailOut)
def programme_detail(request: HttpRequest, programme_id: Id) -> dict[str, Any]:
    programme = selectors.programme_get(actor=request.user, programme_id=programme_id)
    figures = selectors.programme_figures(actor=request.user, programme=programme)
    return {**programme_out(programme), "sites": figures.sites, "budget": figures.budget,
            "contracted": figures.contracted, "spent": figures.spent,
            "by_progress": figures.by_progress,
            "renovations": [renovation_out(r) for r in selectors.programme_renovations(
                actor=request.user, programme=programme)]}
