"""Incubation and capacity endpoints of /api/v1/orgs: a router of their own, which api.py
composes into the orgs router (this module imports nothing of api.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from wushe.core.apitypes import Id
from wushe.core.errors import ValidationFailed
from wushe.core.paging import paginate
from wushe.orgs import selectors, services
from wushe.orgs.models import CapacityAssessment, Incubation
from wushe.regions.models import SiteKind
from wushe.regions.selectors import region_get, site_get

router = Router()  # tagged "orgs" by the router it is composed into


class IncubationOut(Schema):
    id: int
    org_id: int
    org_name: str
    base_id: int
    base_name: str
    stage: str
    mentor: str
    started_on: dt.date
    graduated_on: dt.date | None
    open_issues: int
    next_follow_up: dt.date | None
    next_field_visit: dt.date | None


def incubation_out(i: Incubation) -> dict[str, Any]:
    due = selectors.follow_up_due(i) if i.open else {}
    return {"id": i.pk, "org_id": i.org_id, "org_name": i.org.name, "base_id": i.base_id,
            "base_name": i.base.name, "stage": i.stage, "mentor": i.mentor,
            "started_on": i.started_on, "graduated_on": i.graduated_on,
            "open_issues": getattr(i, "open_issues", 0),
            "next_follow_up": due.get("follow_up"), "next_field_visit": due.get("field_visit")}


class IncubationIn(Schema):
    base_id: Id
    mentor: str = ""
    started_on: str | None = None


class IncubationStageIn(Schema):
    stage: str
    on: str | None = None
    note: str = ""


class IssueIn(Schema):
    area: str
    description: str
    found_on: str | None = None


class IssueOut(Schema):
    id: int
    area: str
    description: str
    found_on: dt.date
    resolved_on: dt.date | None
    resolution: str


class IncubationResolveIn(Schema):
    resolution: str
    resolved_on: str | None = None


class IncubationFollowUpIn(Schema):
    kind: str
    notes: str
    on: str | None = None


class FollowUpOut(Schema):
    id: int
    kind: str
    on: dt.date
    notes: str


class AssessmentIn(Schema):
    assessed_on: str | None = None
    assessor: str
    evidence: str = ""
    scores: dict[str, str]


class AssessmentOut(Schema):
    id: int
    assessed_on: dt.date
    assessor: str
    scores: dict[str, str]
    average: str
    weakest: str


def assessment_out(a: CapacityAssessment) -> dict[str, Any]:
    return {"id": a.pk, "assessed_on": a.assessed_on, "assessor": a.assessor,
            "scores": {k: str(v) for k, v in a.scores().items()}, "average": str(a.average),
            "weakest": a.weakest()}


class AreaOut(Schema):
    area: str
    average: str | None
    weak: int


class WeakestOut(Schema):
    organisations: int
    areas: list[AreaOut]


@router.get("/incubations/", response=list[IncubationOut])
@paginate
def incubation_list(request: HttpRequest, base_id: Id | None = None, stage: str = "",
                    overdue: bool = False) -> Any:
    filters = selectors.IncubationFilters(base_id=base_id, stage=stage, overdue=overdue)
    return [incubation_out(i) for i in selectors.incubation_list(actor=request.user,
                                                                 filters=filters)]


@router.get("/incubations/{incubation_id}", response=IncubationOut)
def incubation_detail(request: HttpRequest, incubation_id: Id) -> dict[str, Any]:
    return incubation_out(selectors.incubation_get(actor=request.user,
                                                   incubation_id=incubation_id))


@router.post("/{org_id}/incubation", response={201: IncubationOut})
def incubation_start(request: HttpRequest, org_id: Id, body: IncubationIn
                     ) -> Status[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    base = site_get(actor=request.user, site_id=body.base_id)
    if base.kind != SiteKind.INCUBATOR:
        raise ValidationFailed("孵化基地须为孵化基地站点", "The base must be an incubation base",
                               field="base_id")
    inc = services.incubation_start(actor=request.user, org=org, base=base, mentor=body.mentor,
                                    started_on=body.started_on)
    return Status(201, incubation_out(selectors.incubation_get(actor=request.user,
                                                               incubation_id=inc.pk)))


@router.post("/incubations/{incubation_id}/stage", response=IncubationOut)
def incubation_stage(request: HttpRequest, incubation_id: Id, body: IncubationStageIn) -> dict[str, Any]:
    inc = selectors.incubation_get(actor=request.user, incubation_id=incubation_id)
    services.incubation_advance(actor=request.user, incubation=inc, **body.model_dump())
    return incubation_out(selectors.incubation_get(actor=request.user,
                                                   incubation_id=incubation_id))


@router.get("/incubations/{incubation_id}/issues", response=list[IssueOut])
def issue_list(request: HttpRequest, incubation_id: Id) -> list[Any]:
    inc = selectors.incubation_get(actor=request.user, incubation_id=incubation_id)
    return selectors.incubation_issues(actor=request.user, incubation=inc)


@router.post("/incubations/{incubation_id}/issues", response={201: IssueOut})
def issue_record(request: HttpRequest, incubation_id: Id, body: IssueIn) -> Status[Any]:
    inc = selectors.incubation_get(actor=request.user, incubation_id=incubation_id)
    return Status(201, services.issue_record(actor=request.user, incubation=inc,
                                             **body.model_dump()))


@router.post("/issues/{issue_id}/resolve", response=IssueOut)
def issue_resolve(request: HttpRequest, issue_id: Id, body: IncubationResolveIn) -> Any:
    issue = selectors.issue_get(actor=request.user, issue_id=issue_id)
    return services.issue_resolve(actor=request.user, issue=issue, **body.model_dump())


@router.get("/incubations/{incubation_id}/follow-ups", response=list[FollowUpOut])
def follow_up_list(request: HttpRequest, incubation_id: Id) -> list[Any]:
    inc = selectors.incubation_get(actor=request.user, incubation_id=incubation_id)
    return selectors.incubation_follow_ups(actor=request.user, incubation=inc)


@router.post("/incubations/{incubation_id}/follow-ups", response={201: FollowUpOut})
def follow_up_record(request: HttpRequest, incubation_id: Id, body: IncubationFollowUpIn) -> Status[Any]:
    inc = selectors.incubation_get(actor=request.user, incubation_id=incubation_id)
    return Status(201, services.follow_up_record(actor=request.user, incubation=inc,
                                                 **body.model_dump()))


@router.get("/{org_id}/assessments", response=list[AssessmentOut])
def assessment_list(request: HttpRequest, org_id: Id) -> list[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    return [assessment_out(a) for a in selectors.org_detail(actor=request.user,
                                                            org=org).assessments]


@router.post("/{org_id}/assessments", response={201: AssessmentOut})
def assessment_record(request: HttpRequest, org_id: Id, body: AssessmentIn
                      ) -> Status[dict[str, Any]]:
    org = selectors.org_get(actor=request.user, org_id=org_id)
    assessment = services.assessment_record(
        actor=request.user, org=org, assessed_on=body.assessed_on, assessor=body.assessor,
        evidence=body.evidence, scores=dict(body.scores))
    return Status(201, assessment_out(assessment))


@router.get("/capacity/weakest", response=WeakestOut)
def capacity_weakest(request: HttpRequest, region: str = "") -> dict[str, Any]:
    where = region_get(actor=request.user, code=region) if region else None
    figures, covered = selectors.capacity_weakest(actor=request.user, region=where)
    return {"organisations": covered,
            "areas": [{"area": f.key, "average": str(f.average) if f.average is not None
                       else None, "weak": f.weak} for f in figures]}

