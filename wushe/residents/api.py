"""The residents API at /api/v1/residents: care profiles and hardship ledgers. Masked by
default; sensitive details only through /unmask with a purpose (recorded)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from wushe.core.apitypes import Id
from wushe.core.paging import paginate
from wushe.people.selectors import person_get
from wushe.regions.selectors import region_get
from wushe.residents import selectors, services
from wushe.residents.models import CareProfile, Ledger

router = Router(tags=["residents"])


class ProfileOut(Schema):
    id: int
    person_id: int
    name: str
    target_group: str
    tags: list[str]
    risk_level: str
    status: str
    community_code: str
    community_name: str
    has_details: bool
    has_guardian_info: bool
    last_visit_on: dt.date | None

    @staticmethod
    def resolve_name(p: CareProfile) -> str:
        return p.person.masked_name

    @staticmethod
    def resolve_tags(p: CareProfile) -> list[str]:
        return p.tag_list

    @staticmethod
    def resolve_community_code(p: CareProfile) -> str:
        return p.region.code

    @staticmethod
    def resolve_community_name(p: CareProfile) -> str:
        return p.region.name


class ProfileIn(Schema):
    person_id: Id
    target_group: str
    tags: list[str] = []
    risk_level: str = "low"
    details: str = ""
    guardian_info: str = ""
    assigned_worker_id: Id | None = None
    last_visit_on: dt.date | None = None


class ProfilePatch(Schema):
    tags: list[str] | None = None
    risk_level: str | None = None
    details: str | None = None
    guardian_info: str | None = None
    last_visit_on: dt.date | None = None


class ResidentUnmaskIn(Schema):
    field: str
    purpose: str


class ResidentUnmaskOut(Schema):
    field: str
    value: str


class ResidentCloseIn(Schema):
    reason: str


class LedgerOut(Schema):
    id: int
    name: str
    region_code: str
    region_name: str
    target_group: str
    description: str
    active: bool
    members: int

    @staticmethod
    def resolve_region_code(lg: Ledger) -> str:
        return lg.region.code

    @staticmethod
    def resolve_region_name(lg: Ledger) -> str:
        return lg.region.name

    @staticmethod
    def resolve_members(lg: Ledger) -> int:
        return int(getattr(lg, "members", 0) or 0)


class LedgerIn(Schema):
    region_code: str
    name: str
    target_group: str = ""
    description: str = ""


class ResidentMemberIn(Schema):
    profile_id: Id
    note: str = ""


@router.get("/profiles", response=list[ProfileOut])
@paginate
def profile_list(request: HttpRequest, q: str = "", region: str = "", target_group: str = "",
                 tag: str = "", risk_level: str = "", status: str = "active") -> Any:
    return selectors.profile_list(actor=request.user, filters=selectors.ProfileFilters(
        q=q, region_code=region, target_group=target_group, tag=tag, risk_level=risk_level,
        status=status))


@router.post("/profiles", response={201: ProfileOut})
def profile_create(request: HttpRequest, body: ProfileIn) -> Status[Any]:
    person = person_get(actor=request.user, person_id=body.person_id)
    worker = selectors.worker_get(body.assigned_worker_id) if body.assigned_worker_id else None
    profile = services.profile_create(
        actor=request.user, person=person, target_group=body.target_group, tags=body.tags,
        risk_level=body.risk_level, details=body.details, guardian_info=body.guardian_info,
        assigned_worker=worker, last_visit_on=body.last_visit_on)
    return Status(201, selectors.profile_get(actor=request.user, profile_id=profile.pk))


@router.get("/profiles/{profile_id}", response=ProfileOut)
def profile_detail(request: HttpRequest, profile_id: Id) -> Any:
    return selectors.profile_get(actor=request.user, profile_id=profile_id)


@router.patch("/profiles/{profile_id}", response=ProfileOut)
def profile_update(request: HttpRequest, profile_id: Id, body: ProfilePatch) -> Any:
    profile = selectors.profile_get(actor=request.user, profile_id=profile_id)
    return services.profile_update(actor=request.user, profile=profile,
                                   **body.model_dump(exclude_none=True))


@router.post("/profiles/{profile_id}/close", response=ProfileOut)
def profile_close(request: HttpRequest, profile_id: Id, body: ResidentCloseIn) -> Any:
    profile = selectors.profile_get(actor=request.user, profile_id=profile_id)
    return services.profile_close(actor=request.user, profile=profile, reason=body.reason)


@router.post("/profiles/{profile_id}/unmask", response=ResidentUnmaskOut)
def profile_unmask(request: HttpRequest, profile_id: Id, body: ResidentUnmaskIn) -> dict[str, str]:
    profile = selectors.profile_get(actor=request.user, profile_id=profile_id)
    value = services.profile_unmask(actor=request.user, profile=profile, field=body.field,
                                    purpose=body.purpose)
    return {"field": body.field, "value": value}


@router.get("/ledgers", response=list[LedgerOut])
def ledger_list(request: HttpRequest) -> Any:
    return list(selectors.ledger_list(actor=request.user))


@router.post("/ledgers", response={201: LedgerOut})
def ledger_create(request: HttpRequest, body: LedgerIn) -> Status[Any]:
    ledger = services.ledger_create(
        actor=request.user, region=region_get(actor=request.user, code=body.region_code),
        name=body.name, description=body.description, target_group=body.target_group,
        keeper=request.user)  # type: ignore[arg-type]
    return Status(201, ledger)


@router.get("/ledgers/{ledger_id}", response=LedgerOut)
def ledger_detail(request: HttpRequest, ledger_id: Id) -> Any:
    return selectors.ledger_get(actor=request.user, ledger_id=ledger_id)


@router.get("/ledgers/{ledger_id}/members", response=list[ProfileOut])
@paginate
def ledger_members(request: HttpRequest, ledger_id: Id) -> Any:
    ledger = selectors.ledger_get(actor=request.user, ledger_id=ledger_id)
    return [e.profile for e in selectors.ledger_members(actor=request.user, ledger=ledger)]


@router.post("/ledgers/{ledger_id}/members", response={201: None})
def ledger_add(request: HttpRequest, ledger_id: Id, body: ResidentMemberIn) -> Status[None]:
    ledger = selectors.ledger_get(actor=request.user, ledger_id=ledger_id)
    profile = selectors.profile_get(actor=request.user, profile_id=body.profile_id)
    services.ledger_add(actor=request.user, ledger=ledger, profile=profile, note=body.note)
    return Status(201, None)


@router.delete("/ledgers/{ledger_id}/members/{profile_id}", response={204: None})
def ledger_remove(request: HttpRequest, ledger_id: Id, profile_id: Id) -> Status[None]:
    ledger = selectors.ledger_get(actor=request.user, ledger_id=ledger_id)
    profile = selectors.profile_get(actor=request.user, profile_id=profile_id)
    services.ledger_remove(actor=request.user, ledger=ledger, profile=profile)
    return Status(204, None)
