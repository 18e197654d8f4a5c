"""Organisations API at /api/v1/orgs: thin over the selectors and services. Incubation and
capacity endpoints are api_incubation.py's own router, composed into this one at the end."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from wushe.accounts import scope
from wushe.core.apitypes import Id, SmallInt, Year
from wushe.core.errors import PermissionDenied
from wushe.core.paging import paginate
from wushe.orgs import access, ratings, selectors, services
from wushe.orgs.api_incubation import router as incubation_router
from wushe.orgs.models import (
    BrandProject,
    OrgMember,
    ProcessingAgreement,
    Rating,
    SocialOrganization,
)
from wushe.regions.selectors import region_get

router = Router(tags=["orgs"])


class OrgOut(Schema):
    id: int
    name: str
    status: str
    category: str
    credit_code: str | None
    filing_number: str | None
    legal_form: str
    registered_on: dt.date | None
    filed_on: dt.date | None
    region_code: str
    region_name: str
    current_grade: str | None
    person_in_charge: str  # masked
    contact_phone: str  # masked
    venue: str
    activity_area: str
    funds: str | None


def org_out(o: SocialOrganization) -> dict[str, Any]:
    grade = getattr(o, "current_grade", None)
    return {"id": o.pk, "name": o.name, "status": o.status, "category": o.category,
            "credit_code": o.credit_code, "filing_number": o.filing_number,
            "legal_form": o.legal_form, "registered_on": o.registered_on, "filed_on": o.filed_on,
            "region_code": o.region.code, "region_name": o.region.name,
            "current_grade": f"{grade}A" if grade else None,
            "person_in_charge": o.masked_person_in_charge,
            "contact_phone": o.masked_contact_phone, "venue": o.venue,
            "activity_area": o.activity_area,
            "funds": str(o.funds) if o.funds is not None else None}


class OrgIn(Schema):
    status: str
    region_code: str
    name: str
    category: str = ""
    credit_code: str | None = None
    legal_form: str = ""
    registered_on: str | None = None
    person_in_charge: str = ""
    contact_phone: str | None = None
    venue: str = ""
    activity_area: str = ""
    charter: str = ""
    funds: str | None = None
    funds_source: str = ""
    founded_on: str | None = None
    summary: str = ""


class OrgPatch(Schema):
    name: str | None = None
    category: str | None = None
    credit_code: str | None = None
    legal_form: str | None = None
    registered_on: str | None = None
    person_in_charge: str | None = None
    contact_phone: str | None = None
    venue: str | None = None
    activity_area: str | None = None
    charter: str | None = None
    funds: str | None = None
    funds_source: str | None = None
    founded_on: str | None = None
    summary: str | None = None


class TransitionIn(Schema):
    to: str
    on: str | None = None
    reason: str = ""
    credit_code: str | None = None
    registered_on: str | None = None


class OrgRatingIn(Schema):
    score: str
    awarded_on: str | None = None
    note: str = ""


class OrgRatingOut(Schema):
    id: int
    grade: str
    score: str
    awarded_on: dt.date
    valid_until: dt.date
    current: bool
    ended_reason: str


def rating_out(r: Rating) -> dict[str, Any]:
    return {"id": r.pk, "grade": r.label, "score": str(r.score), "awarded_on": r.awarded_on,
            "valid_until": r.valid_until, "current": r.is_current(),
            "ended_reason": r.ended_reason}


class EligibilityOut(Schema):
    eligible: bool
    eligible_from: dt.date | None
    reasons: list[dict[str, str]]


class StatusChangeOut(Schema):
    from_status: str
    to_status: str
    on: dt.date
    reason: str


class OrgMemberIn(Schema):
    name: str
    post: str = ""
    joined_on: str | None = None


class OrgMemberOut(Schema):
    id: int
    name: str  # masked
    post: str
    joined_on: dt.date | None


def member_out(m: OrgMember) -> dict[str, Any]:
    return {"id": m.pk, "name": m.masked_name, "post": m.post, "joined_on": m.joined_on}


class OrgProjectIn(Schema):
    name: str
    summary: str = ""
    started_on: str | None = None
    beneficiaries: SmallInt = 0


class OrgProjectOut(Schema):
    id: int
    name: str
    summary: str
    started_on: dt.date | None
    beneficiaries: int


def project_out(p: BrandProject) -> dict[str, Any]:
    return {"id": p.pk, "name": p.name, "summary": p.summary, "started_on": p.started_on,
            "beneficiaries": p.beneficiaries}


class HonourIn(Schema):
    title: str
    year: Year
    awarded_by: str = ""


class OrgUnmaskIn(Schema):
    purpose: str


class OrgUnmaskOut(Schema):
    field: str
    value: str


@router.get("/", response=list[OrgOut])
@paginate
def org_list(request: HttpRequest, q: str = "", category: str = "", status: str = "",
             region: str = "", grade: str = "") -> Any:
    filters = selectors.OrgFilters(q=q, category=category, status=status, region_code=region,
                                   grade=grade if grade in ("1", "2", "3", "4", "5", "none") else "")
    return [org_out(o) for o in selectors.org_list(actor=request.user, filters=filters)]


@router.post("/", response={201: OrgOut})
def org_create(request: HttpRequest, body: OrgIn) -> Status[dict[str, Any]]:
    values = body.model_dump(exclude={"status", "region_code"})
    org = services.org_create(actor=request.user, status=body.status,
                              region=region_get(actor=request.user, code=body.region_code),
                              **values)
    return Status(201, org_out(selectors.org_get(actor=request.user, org_id=org.pk)))


@router.get("/{org_id}", response=OrgOut)
def org_detail(request: HttpRequest, org_id: Id) -> dict[str, Any]:
    return org_out(selectors.org_get(actor=request.user, org_id=org_id))


@router.patch("/{org_id}", response=OrgOut)
def org_update(request: HttpRequest, org_id: Id, body: OrgPatch) -> dict[str, Any]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    services.org_update(actor=request.user, org=org, **body.model_dump(exclude_none=True))
    return org_out(selectors.org_get(actor=request.user, org_id=org_id))


@router.post("/{org_id}/status", response=OrgOut)
def org_transition(request: HttpRequest, org_id: Id, body: TransitionIn) -> dict[str, Any]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    services.org_transition(actor=request.user, org=org, **body.model_dump())
    return org_out(selectors.org_get(actor=request.user, org_id=org_id))


@router.get("/{org_id}/history", response=list[StatusChangeOut])
def org_history(request: HttpRequest, org_id: Id) -> list[Any]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return selectors.org_detail(actor=request.user, org=org).history


@router.get("/{org_id}/ratings", response=list[OrgRatingOut])
def rating_list(request: HttpRequest, org_id: Id) -> list[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return [rating_out(r) for r in selectors.org_detail(actor=request.user, org=org).ratings]


@router.get("/{org_id}/eligibility", response=EligibilityOut)
def rating_eligibility(request: HttpRequest, org_id: Id) -> dict[str, Any]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    result = ratings.check_eligibility(org, dt.date.today())
    return {"eligible": result.ok, "eligible_from": result.eligible_from,
            "reasons": [{"zh": z, "en": e} for z, e in result.reasons]}


@router.post("/{org_id}/ratings", response={201: OrgRatingOut})
def rating_award(request: HttpRequest, org_id: Id, body: OrgRatingIn) -> Status[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return Status(201, rating_out(services.rating_award(actor=request.user, org=org,
                                                        **body.model_dump())))


@router.post("/{org_id}/contact/unmask", response=OrgUnmaskOut)
def org_contact_unmask(request: HttpRequest, org_id: Id, body: OrgUnmaskIn) -> dict[str, str]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    value = services.org_contact_unmask(actor=request.user, org=org, purpose=body.purpose)
    return {"field": "contact_phone", "value": value}


@router.get("/{org_id}/members", response=list[OrgMemberOut])
def member_list(request: HttpRequest, org_id: Id) -> list[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return [member_out(m) for m in selectors.org_detail(actor=request.user, org=org).members]


@router.post("/{org_id}/members", response={201: OrgMemberOut})
def member_add(request: HttpRequest, org_id: Id, body: OrgMemberIn) -> Status[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return Status(201, member_out(services.member_add(actor=request.user, org=org,
                                                      **body.model_dump())))


@router.delete("/members/{member_id}", response={204: None})
def member_remove(request: HttpRequest, member_id: Id) -> Status[None]:
    member = selectors.member_get(actor=request.user, member_id=member_id)
    services.member_remove(actor=request.user, member=member)
    return Status(204, None)


@router.get("/{org_id}/projects", response=list[OrgProjectOut])
def project_list(request: HttpRequest, org_id: Id) -> list[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return [project_out(p) for p in selectors.org_detail(actor=request.user, org=org).projects]


@router.post("/{org_id}/projects", response={201: OrgProjectOut})
def project_add(request: HttpRequest, org_id: Id, body: OrgProjectIn) -> Status[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return Status(201, project_out(services.project_add(actor=request.user, org=org,
                                                        **body.model_dump())))


@router.post("/{org_id}/honours", response={201: HonourIn})
def honour_add(request: HttpRequest, org_id: Id, body: HonourIn) -> Status[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    honour = services.honour_add(actor=request.user, org=org, **body.model_dump())
    return Status(201, {"title": honour.title, "year": honour.year,
                        "awarded_by": honour.awarded_by})


class AgreementOut(Schema):
    id: int
    starts_on: dt.date
    ends_on: dt.date
    in_force: bool
    purposes: list[str]
    document_name: str
    document_type: str
    document_size: int
    document_sha256: str
    recorded_at: dt.datetime


def agreement_out(a: ProcessingAgreement) -> dict[str, Any]:
    return {"id": a.pk, "starts_on": a.starts_on, "ends_on": a.ends_on,
            "in_force": a.in_force(), "purposes": list(a.purposes),
            "document_name": a.document_name, "document_type": a.document_type,
            "document_size": a.document_size, "document_sha256": a.document_sha256,
            "recorded_at": a.recorded_at}


@router.get("/{org_id}/agreements", response=list[AgreementOut])
def agreement_list(request: HttpRequest, org_id: Id) -> list[dict[str, Any]]:
    """Entrusted-processing agreements (PIPL Art. 21) on record, newest first."""
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return [agreement_out(a) for a in selectors.agreements_of(actor=request.user, org=org)]


@router.post("/{org_id}/agreements", response={201: AgreementOut})
def agreement_record(request: HttpRequest, org_id: Id, starts_on: Form[str],
                     ends_on: Form[str], purposes: Form[list[str]],
                     document: File[UploadedFile]) -> Status[dict[str, Any]]:
    """Record an agreement (multipart: the dates, one or more purposes, the signed PDF, PNG
    or JPEG of 10 MB at most)."""
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return Status(201, agreement_out(services.agreement_record(
        actor=request.user, org=org, starts_on=starts_on, ends_on=ends_on, purposes=purposes,
        document=document)))


@router.get("/mine/list", response=list[OrgOut])
def org_mine(request: HttpRequest) -> list[dict[str, Any]]:
    """The organisations the caller is staff of (org_staff object grants)."""
    if not scope.has_perm(request.user, access.VIEW):
        raise PermissionDenied()
    return [org_out(selectors.org_get(actor=request.user, org_id=o.pk))
            for o in selectors.org_mine(actor=request.user)]


# The incubation and capacity endpoints, at the same prefix (composed, not added by import).
router.add_router("", incubation_router)
