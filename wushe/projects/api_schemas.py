"""A project as the API returns it, shared by api.py and api_purchase.py (so neither imports
the other)."""

from __future__ import annotations

from typing import Any

from ninja import Schema

from wushe.projects.models import ServiceProject


class ProjectOut(Schema):
    id: int
    code: str
    name: str
    domain: str
    year: int
    region_code: str
    region_name: str
    target_groups: list[str]
    status: str
    outcome: str
    budget: str
    leveraged: str
    provider_id: int | None
    provider_name: str | None
    renewed_from_id: int | None


def project_out(p: ServiceProject) -> dict[str, Any]:
    return {"id": p.pk, "code": p.code, "name": p.name, "domain": p.domain, "year": p.year,
            "region_code": p.region.code, "region_name": p.region.name,
            "target_groups": p.target_group_list, "status": p.status, "outcome": p.outcome,
            "budget": str(p.budget), "leveraged": str(p.leveraged),
            "provider_id": p.provider_id,
            "provider_name": p.provider.name if p.provider is not None else None,
            "renewed_from_id": getattr(p, "renewed_from_id", None)}
