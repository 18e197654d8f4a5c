"""Workforce API at /api/v1/workforce: social workers and training, community workers and
appraisals, the ladder and the staffing standard. Thin over selectors and services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from wushe.accounts import scope
from wushe.core.apitypes import Id, SmallInt, Year
from wushe.core.errors import PermissionDenied, ValidationFailed
from wushe.core.paging import paginate
from wushe.orgs.selectors import employer_by_code
from wushe.regions.selectors import region_get, site_get
from wushe.workforce import selectors, services
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import Appraisal, CommunityWorker, SocialWorker, Training

router = Router(tags=["workforce"])
VIEW = "workforce.view"
TENTH = Decimal("0.1")  # SQLite sums decimals to 24, PostgreSQL to 24.0: say 24.0


class SocialWorkerOut(Schema):
    id: int
    name: str  # masked
    certificate_level: str
    certificate_number: str | None
    certified_on: dt.date | None
    employer_id: int | None
    employer_name: str | None
    site_id: int | None
    site_name: str | None
    region_code: str
    status: str
    hired_on: dt.date | None


def social_out(w: SocialWorker) -> dict[str, Any]:
    return {"id": w.pk, "name": w.person.masked_name, "certificate_level": w.certificate_level,
            "certificate_number": w.certificate_number, "certified_on": w.certified_on,
            "employer_id": w.employer_id, "employer_name": w.employer.name if w.employer else None,
            "site_id": w.site_id, "site_name": w.site.name if w.site else None,
            "region_code": w.region.code, "status": w.status, "hired_on": w.hired_on}


class WorkerPersonIn(Schema):
    id_number: str
    name: str
    phone: str | None = None
    residence_code: str | None = None  # only when the person is not registered yet


class SocialWorkerFields(Schema):
    region_code: str | None = None
    site_id: Id | None = None
    employer_code: str | None = None
    certificate_level: str = "none"
    certificate_number: str | None = None
    certified_on: str | None = None
    status: str = "active"
    hired_on: str | None = None


class SocialWorkerIn(WorkerPersonIn, SocialWorkerFields):
    pass


class TrainingIn(Schema):
    kind: str
    title: str
    hours: str
    on: str
    provider: str = ""


class TrainingOut(Schema):
    id: int
    kind: str
    title: str
    hours: str
    on: dt.date
    provider: str


def training_out(t: Training) -> dict[str, Any]:
    return {"id": t.pk, "kind": t.kind, "title": t.title, "hours": str(t.hours), "on": t.on,
            "provider": t.provider}


class TrainingTotalOut(Schema):
    worker_id: int
    name: str
    hours: str
    sessions: int
    met: bool


class CommunityWorkerOut(Schema):
    id: int
    name: str  # masked
    community_code: str
    community_name: str
    post: int
    grade: int
    education: str
    hired_on: dt.date
    status: str


def community_out(w: CommunityWorker) -> dict[str, Any]:
    return {"id": w.pk, "name": w.person.masked_name, "community_code": w.community.code,
            "community_name": w.community.name, "post": w.post, "grade": w.grade,
            "education": w.education, "hired_on": w.hired_on, "status": w.status}


class CommunityWorkerIn(WorkerPersonIn):
    community_code: str
    post: SmallInt
    grade: SmallInt | None = None
    education: str = "college"
    hired_on: str
    status: str = "active"


class CommunityWorkerPatch(Schema):
    community_code: str
    education: str
    hired_on: str
    status: str


class RegradeIn(Schema):
    post: SmallInt
    grade: SmallInt
    reason: str


class AppraisalIn(Schema):
    year: Year
    result: str
    note: str = ""


class AppraisalOut(Schema):
    id: int
    year: int
    result: str
    note: str


class PostOut(Schema):
    number: int
    name: str
    lowest: int
    highest: int


class LadderOut(Schema):
    grades: int
    years_per_step: int
    degree_credit: list[int]
    posts: list[PostOut]


class StaffingRowOut(Schema):
    code: str
    name: str
    population: int
    ratio: str
    floor: int
    required: int
    actual: int
    shortfall: int


class StaffingStreetOut(Schema):
    code: str
    name: str
    communities: int
    population: int
    required: int
    actual: int
    shortfall: int
    short_communities: int


class StaffingOut(Schema):
    required: int
    actual: int
    shortfall: int
    short_communities: int
    streets: list[StaffingStreetOut]
    communities: list[StaffingRowOut]


def _worker_values(request: HttpRequest, body: SocialWorkerFields) -> dict[str, Any]:
    actor = request.user
    return {
        "region": region_get(actor=actor, code=body.region_code) if body.region_code else None,
        "site": site_get(actor=actor, site_id=body.site_id) if body.site_id else None,
        "employer": employer_by_code(actor=actor, code=body.employer_code)
        if body.employer_code else None,
        "certificate_level": body.certificate_level,
        "certificate_number": body.certificate_number, "certified_on": body.certified_on,
        "status": body.status, "hired_on": body.hired_on}


def _residence(request: HttpRequest, body: WorkerPersonIn) -> Any:
    return region_get(actor=request.user, code=body.residence_code) if body.residence_code \
        else None


@router.get("/social-workers", response=list[SocialWorkerOut])
@paginate
def social_worker_list(request: HttpRequest, q: str = "", level: str = "", status: str = "",
                       placed: str = "", region: str = "") -> Any:
    filters = selectors.SocialWorkerFilters(q=q, level=level, status=status, placed=placed,
                                            region_code=region)
    return [social_out(w) for w in selectors.social_worker_list(actor=request.user,
                                                                filters=filters)]


@router.post("/social-workers", response={201: SocialWorkerOut})
def social_worker_create(request: HttpRequest, body: SocialWorkerIn) -> Status[dict[str, Any]]:
    worker = services.social_worker_register(
        actor=request.user, id_number=body.id_number, name=body.name, phone=body.phone,
        residence=_residence(request, body), **_worker_values(request, body))
    return Status(201, social_out(selectors.social_worker_get(actor=request.user,
                                                              worker_id=worker.pk)))


@router.get("/social-workers/{worker_id}", response=SocialWorkerOut)
def social_worker_detail(request: HttpRequest, worker_id: Id) -> dict[str, Any]:
    return social_out(selectors.social_worker_get(actor=request.user, worker_id=worker_id))


@router.put("/social-workers/{worker_id}", response=SocialWorkerOut)
def social_worker_update(request: HttpRequest, worker_id: Id,
                         body: SocialWorkerFields) -> dict[str, Any]:
    worker = selectors.social_worker_get(actor=request.user, worker_id=worker_id)
    services.social_worker_update(actor=request.user, worker=worker,
                                  **_worker_values(request, body))
    return social_out(selectors.social_worker_get(actor=request.user, worker_id=worker_id))


@router.get("/social-workers/{worker_id}/trainings", response=list[TrainingOut])
def training_list(request: HttpRequest, worker_id: Id) -> list[dict[str, Any]]:
    worker = selectors.social_worker_get(actor=request.user, worker_id=worker_id)
    return [training_out(t) for t in selectors.training_list(actor=request.user, worker=worker)]


@router.post("/social-workers/{worker_id}/trainings", response={201: TrainingOut})
def training_record(request: HttpRequest, worker_id: Id, body: TrainingIn
                    ) -> Status[dict[str, Any]]:
    worker = selectors.social_worker_get(actor=request.user, worker_id=worker_id)
    return Status(201, training_out(services.training_record(actor=request.user, worker=worker,
                                                             **body.model_dump())))


@router.get("/training/totals", response=list[TrainingTotalOut])
@paginate
def training_totals(request: HttpRequest, year: Year, region: str = "",
                    below: bool = False) -> Any:
    if not 2000 <= year <= 2100:
        raise ValidationFailed("年度无效", "Invalid year", field="year")
    qs, minimum = selectors.training_totals(actor=request.user, year=year, region_code=region,
                                            below_only=below)
    # year_hours and year_sessions are annotations of selectors.training_totals.
    return [{"worker_id": w.pk, "name": w.person.masked_name,
             "hours": str(Decimal(w.year_hours).quantize(TENTH)),  # type: ignore[attr-defined]
             "sessions": w.year_sessions,  # type: ignore[attr-defined]
             "met": w.year_hours >= minimum} for w in qs]  # type: ignore[attr-defined]


@router.get("/community-workers", response=list[CommunityWorkerOut])
@paginate
def community_worker_list(request: HttpRequest, q: str = "", post: str = "", status: str = "",
                          region: str = "") -> Any:
    filters = selectors.CommunityWorkerFilters(q=q, post=post if post.isdigit() else "",
                                               status=status, region_code=region)
    return [community_out(w) for w in selectors.community_worker_list(actor=request.user,
                                                                      filters=filters)]


@router.post("/community-workers", response={201: CommunityWorkerOut})
def community_worker_create(request: HttpRequest, body: CommunityWorkerIn
                            ) -> Status[dict[str, Any]]:
    worker = services.community_worker_register(
        actor=request.user, id_number=body.id_number, name=body.name, phone=body.phone,
        residence=_residence(request, body),
        community=region_get(actor=request.user, code=body.community_code), post=body.post,
        grade=body.grade, education=body.education, hired_on=body.hired_on, status=body.status)
    return Status(201, community_out(selectors.community_worker_get(actor=request.user,
                                                                    worker_id=worker.pk)))


@router.get("/community-workers/{worker_id}", response=CommunityWorkerOut)
def community_worker_detail(request: HttpRequest, worker_id: Id) -> dict[str, Any]:
    return community_out(selectors.community_worker_get(actor=request.user, worker_id=worker_id))


@router.put("/community-workers/{worker_id}", response=CommunityWorkerOut)
def community_worker_update(request: HttpRequest, worker_id: Id,
                            body: CommunityWorkerPatch) -> dict[str, Any]:
    worker = selectors.community_worker_get(actor=request.user, worker_id=worker_id)
    services.community_worker_update(
        actor=request.user, worker=worker,
        community=region_get(actor=request.user, code=body.community_code),
        education=body.education, hired_on=body.hired_on, status=body.status)
    return community_out(selectors.community_worker_get(actor=request.user, worker_id=worker_id))


@router.post("/community-workers/{worker_id}/grade", response=CommunityWorkerOut)
def community_worker_regrade(request: HttpRequest, worker_id: Id,
                             body: RegradeIn) -> dict[str, Any]:
    worker = selectors.community_worker_get(actor=request.user, worker_id=worker_id)
    return community_out(services.community_worker_regrade(actor=request.user, worker=worker,
                                                           **body.model_dump()))


@router.get("/community-workers/{worker_id}/appraisals", response=list[AppraisalOut])
def appraisal_list(request: HttpRequest, worker_id: Id) -> list[Appraisal]:
    worker = selectors.community_worker_get(actor=request.user, worker_id=worker_id)
    return list(selectors.appraisal_list(actor=request.user, worker=worker))


@router.post("/community-workers/{worker_id}/appraisals", response={201: AppraisalOut})
def appraisal_record(request: HttpRequest, worker_id: Id, body: AppraisalIn
                     ) -> Status[Appraisal]:
    worker = selectors.community_worker_get(actor=request.user, worker_id=worker_id)
    return Status(201, services.appraisal_record(actor=request.user, worker=worker,
                                                 **body.model_dump()))


@router.get("/ladder", response=LadderOut)
def ladder(request: HttpRequest, region: str = "") -> dict[str, Any]:
    if not scope.has_perm(request.user, VIEW):
        raise PermissionDenied()
    where = region_get(actor=request.user, code=region) if region else None
    lad = ladder_for(where)
    return {"grades": lad.grades, "years_per_step": lad.years_per_step,
            "degree_credit": list(lad.degree_credit),
            "posts": [{"number": p.number, "name": p.name, "lowest": p.lowest,
                       "highest": p.highest} for p in lad.posts]}


@router.get("/staffing", response=StaffingOut)
def staffing(request: HttpRequest, region: str = "", short: bool = False) -> dict[str, Any]:
    if not scope.has_perm(request.user, VIEW):
        raise PermissionDenied()
    where = region_get(actor=request.user, code=region) if region else None
    report = selectors.staffing_report(actor=request.user, region=where)
    rows = report.shortfall_rows if short else report.rows
    return {"required": report.totals.required, "actual": report.totals.actual,
            "shortfall": report.totals.shortfall,
            "short_communities": report.totals.short_communities,
            "streets": [vars(s) | {} for s in report.streets],
            "communities": [{"code": r.code, "name": r.name, "population": r.population,
                             "ratio": str(r.ratio), "floor": r.floor, "required": r.required,
                             "actual": r.actual, "shortfall": r.shortfall} for r in rows]}


# --- cadre adjustments (read) ---------------------------------------------------------------

class AdjustmentOut(Schema):
    id: int
    year: int
    community_code: str
    worker_id: int
    worker_name: str  # masked
    engagement: str
    state: str
    kind: str
    old_post: int | None
    old_grade: int | None
    new_post: int | None
    new_grade: int | None
    procedure_on: dt.date | None
    grants_revoked: int


def adjustment_out(a: Any) -> dict[str, Any]:
    return {"id": a.pk, "year": a.year, "community_code": a.worker.community.code,
            "worker_id": a.worker_id, "worker_name": a.worker.person.masked_name,
            "engagement": a.engagement, "state": a.state, "kind": a.kind,
            "old_post": a.old_post, "old_grade": a.old_grade, "new_post": a.new_post,
            "new_grade": a.new_grade, "procedure_on": a.procedure_on,
            "grants_revoked": a.grants_revoked}


@router.get("/adjustments", response=list[AdjustmentOut])
@paginate
def adjustment_list(request: HttpRequest, year: Year | None = None, kind: str = "",
                    state: str = "") -> Any:
    from wushe.workforce.selectors_adjustments import AdjustmentFilters
    from wushe.workforce.selectors_adjustments import adjustment_list as adjustments

    filters = AdjustmentFilters(year=year, kind=kind, state=state)
    return [adjustment_out(a) for a in adjustments(actor=request.user, filters=filters)]


@router.get("/adjustments/{adjustment_id}", response=AdjustmentOut)
def adjustment_detail(request: HttpRequest, adjustment_id: Id) -> dict[str, Any]:
    from wushe.workforce.selectors_adjustments import adjustment_get

    return adjustment_out(adjustment_get(actor=request.user, adjustment_id=adjustment_id))
