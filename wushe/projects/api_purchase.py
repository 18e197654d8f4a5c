"""Purchase endpoints of /api/v1/projects/… (a router of their own, composed into the projects
router by api.py; this module imports nothing of api.py): purchase lists, eligible
providers, procurement, contract, tranches and payments; and ``public_router`` with the
published purchase lists (non-personal data only)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status

from wushe.core.apitypes import Id, SmallInt, Year
from wushe.core.errors import NotFound
from wushe.projects import access, eligibility, exporters, selectors, services
from wushe.projects.api_schemas import ProjectOut, project_out
from wushe.projects.groups import TARGET_GROUPS
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import region_get

router: Router = Router()  # tagged "projects" by the router it is composed into
public_router: Router = Router(tags=["public"])


class ListIn(Schema):
    region_code: str
    year: Year
    name: str


class ListOut(Schema):
    id: int
    region_code: str
    year: int
    name: str
    status: str
    published_at: dt.datetime | None
    projects: int


def list_out(pl: Any) -> dict[str, Any]:
    return {"id": pl.pk, "region_code": pl.region.code, "year": pl.year, "name": pl.name,
            "status": pl.status, "published_at": pl.published_at,
            "projects": pl.n if hasattr(pl, "n") else
            selectors.list_projects(pl).count()}


class ListAddIn(Schema):
    project_ids: list[Id]


class VerdictOut(Schema):
    org_id: int
    name: str
    rating: int
    eligible: bool
    reasons: list[dict[str, str]]


class ProcurementIn(Schema):
    method: str
    candidate_ids: list[Id]
    selected_id: Id
    reason: str
    decided_on: dt.date | None = None


class ContractIn(Schema):
    amount: str
    start: dt.date
    end: dt.date
    stable: bool = False
    over_budget_reason: str = ""
    signed_on: dt.date | None = None


class TrancheOut(Schema):
    seq: int
    percent: str
    amount: str
    paid: str
    gate: str
    gate_state: bool | None


class ContractOut(Schema):
    project_id: int
    provider_id: int
    amount: str
    start: dt.date
    end: dt.date
    stable: bool
    tranches: list[TrancheOut]


class PaymentIn(Schema):
    amount: str
    paid_on: dt.date | None = None
    reference: str = ""


class PaymentOut(Schema):
    id: int
    tranche: int
    amount: str
    paid_on: dt.date
    reference: str


def _contract_out(project: Any) -> dict[str, Any]:
    c = selectors.project_contract(project)
    if c is None:
        raise NotFound("合同不存在", "No contract")
    return {"project_id": project.pk, "provider_id": c.provider_id, "amount": str(c.amount),
            "start": c.start, "end": c.end, "stable": c.stable,
            "tranches": [{"seq": t.seq, "percent": str(t.percent), "amount": str(t.amount),
                          "paid": str(t.paid), "gate": t.gate,
                          "gate_state": selectors.gate_state(project, t)}
                         for t in selectors.project_tranches(project)]}


@router.get("/purchase-lists/", response=list[ListOut])
def lists(request: HttpRequest, year: Year | None = None) -> Any:
    return [list_out(pl) for pl in selectors.purchase_lists(actor=request.user, year=year)
            .select_related("region")]


@router.post("/purchase-lists/", response={201: ListOut})
def list_create(request: HttpRequest, body: ListIn) -> Any:
    region = region_get(actor=request.user, code=body.region_code)
    if region.level != RegionLevel.DISTRICT:
        raise NotFound("地区不存在", "Region not found")
    pl = services.purchase_list_create(actor=request.user, region=region, year=body.year,
                                       name=body.name)
    return Status(201, list_out(pl))


@router.get("/purchase-lists/{list_id}", response=list[ProjectOut])
def list_detail(request: HttpRequest, list_id: Id) -> Any:
    pl = selectors.purchase_list_get(actor=request.user, list_id=list_id)
    return [project_out(p) for p in selectors.list_projects(pl)]


@router.post("/purchase-lists/{list_id}/projects", response=ListOut)
def list_add(request: HttpRequest, list_id: Id, body: ListAddIn) -> Any:
    actor = request.user
    pl = selectors.purchase_list_get(actor=actor, list_id=list_id)
    for pk in body.project_ids[:500]:
        services.project_list_add(actor=actor, project=selectors.project_get(
            actor=actor, project_id=pk), plist=pl)
    return list_out(selectors.purchase_list_get(actor=actor, list_id=list_id))


@router.post("/purchase-lists/{list_id}/publish", response=ListOut)
def list_publish(request: HttpRequest, list_id: Id) -> Any:
    pl = selectors.purchase_list_get(actor=request.user, list_id=list_id)
    return list_out(services.purchase_list_publish(actor=request.user, plist=pl))


@router.get("/purchase-lists/{list_id}/export")
def list_export(request: HttpRequest, list_id: Id) -> HttpResponse:
    from wushe.web.pages import xlsx_response

    pl = selectors.purchase_list_get(actor=request.user, list_id=list_id)
    return xlsx_response(exporters.purchase_list_xlsx(actor=request.user, plist=pl),
                         f"purchase-list-{pl.year}-{pl.pk}")


@router.get("/{project_id}/eligible-providers", response=list[VerdictOut])
def eligible_providers(request: HttpRequest, project_id: Id, q: str = "") -> Any:
    actor = request.user
    p = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, access.MANAGE, p)
    verdicts = eligibility.provider_candidates(actor, year=p.year, region_path=p.region_path,
                                               search=q[:60])
    return [{"org_id": v.org.pk, "name": v.org.name, "rating": v.rating, "eligible": v.eligible,
             "reasons": [{"zh": zh, "en": en} for zh, en in v.reasons]} for v in verdicts]


@router.post("/{project_id}/procurement", response=ProjectOut)
def procurement(request: HttpRequest, project_id: Id, body: ProcurementIn) -> Any:
    actor = request.user
    p = selectors.project_get(actor=actor, project_id=project_id)
    services.procurement_record(actor=actor, project=p, method=body.method,
                                candidate_ids=body.candidate_ids, selected_id=body.selected_id,
                                reason=body.reason, decided_on=body.decided_on)
    return project_out(selectors.project_get(actor=actor, project_id=p.pk))


@router.post("/{project_id}/contract", response={201: ContractOut})
def contract_sign(request: HttpRequest, project_id: Id, body: ContractIn) -> Any:
    actor = request.user
    p = selectors.project_get(actor=actor, project_id=project_id)
    services.contract_sign(actor=actor, project=p, amount=body.amount, start=body.start,
                           end=body.end, stable=body.stable,
                           over_budget_reason=body.over_budget_reason, signed_on=body.signed_on)
    return Status(201, _contract_out(p))


@router.get("/{project_id}/contract", response=ContractOut)
def contract_get(request: HttpRequest, project_id: Id) -> Any:
    return _contract_out(selectors.project_get(actor=request.user, project_id=project_id))


@router.post("/{project_id}/tranches/{seq}/payments", response={201: PaymentOut})
def payment_make(request: HttpRequest, project_id: Id, seq: SmallInt, body: PaymentIn) -> Any:
    actor = request.user
    p = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, access.PAY, p)
    tranche = next((t for t in selectors.project_tranches(p) if t.seq == seq), None)
    if tranche is None:
        raise NotFound()
    pay = services.payment_make(actor=actor, tranche=tranche, amount=body.amount,
                                paid_on=body.paid_on, reference=body.reference)
    return Status(201, {"id": pay.pk, "tranche": seq, "amount": str(pay.amount),
                        "paid_on": pay.paid_on, "reference": pay.reference})


# --- public (no account) ----------------------------------------------------------------------

class PublicListOut(Schema):
    id: int
    district: str
    year: int
    name: str
    published_at: dt.datetime | None
    projects: int


class PublicProjectOut(Schema):
    code: str
    name: str
    domain: str
    region: str
    year: int
    target_groups: list[str]
    budget: str
    status: str
    provider: str | None


def _public_list(pl: Any) -> dict[str, Any]:
    return {"id": pl.pk, "district": pl.region.name, "year": pl.year, "name": pl.name,
            "published_at": pl.published_at, "projects": pl.n}


@public_router.get("/purchase-lists", auth=None, response=list[PublicListOut])
def public_lists(request: HttpRequest) -> Any:
    return [_public_list(pl) for pl in selectors.public_lists()[:200]]


@public_router.get("/purchase-lists/{list_id}", auth=None, response=list[PublicProjectOut])
def public_list(request: HttpRequest, list_id: Id) -> Any:
    pl = selectors.public_list_get(list_id)
    return [{"code": r["code"], "name": r["name"], "domain": r["domain"],
             "region": r["region__name"], "year": r["year"],
             "target_groups": [TARGET_GROUPS[g][0] for g in r["target_groups"].split("|")
                               if g in TARGET_GROUPS],
             "budget": str(r["budget"]), "status": r["status"], "provider": r["provider__name"]}
            for r in selectors.public_list_rows(pl)]
