"""The projects API at /api/v1/projects: thin over the selectors and services. Purchase lists,
procurement, contracts and payments are api_purchase.py's own router, composed into this one
at the end; the public purchase lists are ``public_router`` (mounted at /api/v1/public)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from wushe.accounts import scope
from wushe.accounts.labels import user_label
from wushe.core.apitypes import Id, Year
from wushe.core.errors import PermissionDenied
from wushe.core.paging import Mapped, paginate
from wushe.projects import access, selectors, services
from wushe.projects.api_purchase import public_router
from wushe.projects.api_purchase import router as purchase_router
from wushe.projects.api_schemas import ProjectOut, project_out
from wushe.regions.selectors import region_get

router: Router = Router(tags=["projects"])


class IndicatorIn(Schema):
    name: str
    unit: str
    target: str
    achieved: str = "0"


class ProjectIndicatorOut(Schema):
    id: int
    name: str
    unit: str
    target: str
    achieved: str


class ProjectIn(Schema):
    region_code: str
    name: str
    domain: str
    year: Year
    budget: str
    leveraged: str = "0"
    target_groups: list[str] = []
    summary: str = ""
    indicators: list[IndicatorIn] = []
    need_ids: list[Id] = []


class ProjectPatch(Schema):
    name: str | None = None
    domain: str | None = None
    year: Year | None = None
    budget: str | None = None
    leveraged: str | None = None
    target_groups: list[str] | None = None
    summary: str | None = None


class ProjectEventOut(Schema):
    from_status: str
    to_status: str
    actor: str
    at: dt.datetime
    note: str


class BurnOut(Schema):
    budget: str
    contract: str
    paid: str
    paid_percent: int


class NeedRef(Schema):
    id: int
    tracking_code: str
    category: str
    target_group: str
    state: str


class DetailOut(Schema):
    project: ProjectOut
    indicators: list[ProjectIndicatorOut]
    events: list[ProjectEventOut]
    burn: BurnOut
    origin_needs_total: int
    origin_needs: list[NeedRef]


class NeedsIn(Schema):
    need_ids: list[Id]


class ProjectNoteIn(Schema):
    note: str = ""


class ProjectStageIn(Schema):
    stage: str
    note: str = ""


class ProjectCloseIn(Schema):
    renewed: bool
    note: str = ""


def _indicator_out(i: Any) -> dict[str, Any]:
    return {"id": i.pk, "name": i.name, "unit": i.unit, "target": str(i.target),
            "achieved": str(i.achieved)}


def _need_ref(n: Any) -> dict[str, Any]:
    return {"id": n.pk, "tracking_code": n.tracking_code, "category": n.category,
            "target_group": n.target_group, "state": n.state}


@router.get("/", response=list[ProjectOut])
@paginate
def project_list(request: HttpRequest, year: Year | None = None, domain: str = "",
                 status: str = "", region: str = "", provider: Id | None = None,
                 q: str = "") -> Any:
    path = region_get(actor=request.user, code=region).path if region else ""
    filters = selectors.ProjectFilters(year=year, domain=domain, status=status, region_path=path,
                                       provider_id=provider, q=q[:60])
    return Mapped(selectors.project_list(actor=request.user, filters=filters), project_out)


@router.post("/", response={201: ProjectOut})
def project_create(request: HttpRequest, body: ProjectIn) -> Status[dict[str, Any]]:
    actor = request.user
    region = region_get(actor=actor, code=body.region_code)
    project = services.project_create(
        actor=actor, region=region, name=body.name, domain=body.domain, year=body.year,
        budget=body.budget, leveraged=body.leveraged, target_groups=body.target_groups,
        summary=body.summary, need_ids=body.need_ids,
        indicators=[services.IndicatorSpec(i.name, i.unit, i.target, i.achieved)
                    for i in body.indicators])
    return Status(201, project_out(selectors.project_get(actor=actor, project_id=project.pk)))


@router.get("/needs-for/{need_id}", response=list[ProjectOut])
def projects_for_need(request: HttpRequest, need_id: Id) -> Any:
    """The projects serving a need (the need must be visible to the actor)."""
    from wushe.needs.selectors import need_get

    need = need_get(actor=request.user, need_id=need_id)
    return [project_out(p) for p in selectors.projects_for_need(request.user, need, full=True)]


@router.get("/{project_id}", response=DetailOut)
def project_detail(request: HttpRequest, project_id: Id) -> Any:
    actor = request.user
    p = selectors.project_get(actor=actor, project_id=project_id)
    burn = selectors.budget_burn(p)
    needs = selectors.project_needs(actor=actor, project=p)
    return {
        "project": project_out(p),
        "indicators": [_indicator_out(i) for i in selectors.project_indicators(p)],
        "events": [{"from_status": e.from_status, "to_status": e.to_status,
                    "actor": user_label(e.actor), "at": e.at, "note": e.note}
                   for e in selectors.project_events(p).select_related("actor")],
        "burn": {"budget": str(burn.budget), "contract": str(burn.contract),
                 "paid": str(burn.paid), "paid_percent": burn.paid_percent},
        "origin_needs_total": needs["total"],
        "origin_needs": [_need_ref(n) for n in needs["shown"]],
    }


@router.patch("/{project_id}", response=ProjectOut)
def project_update(request: HttpRequest, project_id: Id, body: ProjectPatch) -> Any:
    actor = request.user
    p = selectors.project_get(actor=actor, project_id=project_id)
    services.project_update(actor=actor, project=p, **body.model_dump(exclude_none=True))
    return project_out(selectors.project_get(actor=actor, project_id=p.pk))


@router.post("/{project_id}/indicators", response={201: ProjectIndicatorOut})
def indicator_add(request: HttpRequest, project_id: Id, body: IndicatorIn) -> Any:
    p = selectors.project_get(actor=request.user, project_id=project_id)
    ind = services.indicator_save(actor=request.user, project=p, spec=services.IndicatorSpec(
        body.name, body.unit, body.target, body.achieved))
    return Status(201, _indicator_out(ind))


@router.put("/{project_id}/indicators/{indicator_id}", response=ProjectIndicatorOut)
def indicator_update(request: HttpRequest, project_id: Id, indicator_id: Id,
                     body: IndicatorIn) -> Any:
    p = selectors.project_get(actor=request.user, project_id=project_id)
    ind = selectors.project_indicators(p).filter(pk=indicator_id).first()
    if ind is None:
        from wushe.core.errors import NotFound

        raise NotFound()
    ind = services.indicator_save(actor=request.user, project=p, indicator=ind,
                                  spec=services.IndicatorSpec(body.name, body.unit, body.target,
                                                              body.achieved))
    return _indicator_out(ind)


@router.get("/{project_id}/need-candidates", response=list[NeedRef])
def need_candidates(request: HttpRequest, project_id: Id, start: dt.date, end: dt.date,
                    category: str = "", target_group: str = "", region: str = "") -> Any:
    """The demand-menu picker: needs by category × target group × region over a period."""
    actor = request.user
    p = selectors.project_get(actor=actor, project_id=project_id)
    if not scope.covers(actor, access.DESIGN, p.region_path):
        raise PermissionDenied()
    if end < start or (end - start).days > 3 * 366:
        from wushe.core.errors import ValidationFailed

        raise ValidationFailed("统计区间无效(最长3年)", "The period is not valid (at most 3 years)",
                               field="start")
    path = region_get(actor=actor, code=region).path if region else p.region_path
    return [_need_ref(n) for n in selectors.need_candidates(
        actor=actor, start=start, end=end, category=category, target_group=target_group,
        region_path=path)]


@router.post("/{project_id}/needs", response=DetailOut)
def needs_attach(request: HttpRequest, project_id: Id, body: NeedsIn) -> Any:
    p = selectors.project_get(actor=request.user, project_id=project_id)
    services.project_needs_attach(actor=request.user, project=p, need_ids=body.need_ids)
    return project_detail(request, project_id)


@router.delete("/{project_id}/needs/{need_id}", response={204: None})
def need_detach(request: HttpRequest, project_id: Id, need_id: Id) -> Any:
    p = selectors.project_get(actor=request.user, project_id=project_id)
    services.project_need_detach(actor=request.user, project=p, need_id=need_id)
    return Status(204, None)


@router.post("/{project_id}/start", response=ProjectOut)
def project_start(request: HttpRequest, project_id: Id, body: ProjectNoteIn) -> Any:
    p = selectors.project_get(actor=request.user, project_id=project_id)
    services.project_start(actor=request.user, project=p, note=body.note)
    return project_out(p)


@router.post("/{project_id}/evaluated", response=ProjectOut)
def project_evaluated(request: HttpRequest, project_id: Id, body: ProjectStageIn) -> Any:
    p = selectors.project_get(actor=request.user, project_id=project_id)
    services.project_mark_evaluated(actor=request.user, project=p, stage=body.stage,
                                    note=body.note)
    return project_out(p)


@router.post("/{project_id}/close", response=ProjectOut)
def project_close(request: HttpRequest, project_id: Id, body: ProjectCloseIn) -> Any:
    p = selectors.project_get(actor=request.user, project_id=project_id)
    services.project_close(actor=request.user, project=p, renewed=body.renewed, note=body.note)
    return project_out(p)


# The purchase endpoints, at the same prefix (composed, not added by import).
router.add_router("", purchase_router)

__all__ = ["public_router", "router"]
