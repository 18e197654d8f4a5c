"""The supervision API at /api/v1/supervision: the calendar, visits and their records,
rescheduling, overdue lists, rectification items, sessions, project schedules and the Excel
export. Thin over selectors and services."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from wushe.accounts import scope
from wushe.accounts.labels import user_label
from wushe.core import exportjobs
from wushe.core.api import ExportJobOut
from wushe.core.apitypes import Id, SmallInt, Year
from wushe.core.errors import PermissionDenied
from wushe.core.paging import Mapped, paginate
from wushe.regions.selectors import region_get
from wushe.supervision import exporters, selectors, services
from wushe.supervision.models import Rectification, Supervision

router = Router(tags=["supervision"])
VIEW = "supervision.view"


class CheckOut(Schema):
    key: str
    result: str
    note: str


class SupervisionOut(Schema):
    id: int
    kind: str
    tier: str
    state: str  # planned / done / overdue / missed
    project_id: int | None
    project_code: str | None
    region_code: str
    supervising_site: str | None
    scheduled_on: dt.date
    done_on: dt.date | None
    supervisor: str | None
    checks: list[CheckOut]
    spent_amount: str | None
    staff_on_post: int | None
    findings: str
    topic: str
    participants: int | None
    organisations: int | None


def supervision_out(s: Supervision) -> dict[str, Any]:
    return {
        "id": s.pk, "kind": s.kind, "tier": s.tier, "state": s.state,
        "project_id": s.project_id, "project_code": s.project.code if s.project else None,
        "region_code": s.region.code,
        "supervising_site": s.supervising_site.name if s.supervising_site else None,
        "scheduled_on": s.scheduled_on, "done_on": s.done_on,
        "supervisor": user_label(s.supervisor) if s.supervisor else None,
        "checks": [{"key": c["key"], "result": c["result"], "note": c["note"]}
                   for c in s.checks()] if s.is_visit else [],
        "spent_amount": str(s.spent_amount) if s.spent_amount is not None else None,
        "staff_on_post": s.staff_on_post, "findings": s.findings, "topic": s.topic,
        "participants": s.participants, "organisations": s.organisations}


class SupervisionRecordIn(Schema):
    done_on: str
    progress_result: str
    progress_note: str = ""
    spending_result: str
    spending_note: str = ""
    spent_amount: str | None = None
    staffing_result: str
    staffing_note: str = ""
    staff_on_post: SmallInt | None = None
    outcomes_result: str
    outcomes_note: str = ""
    findings: str = ""


class RescheduleIn(Schema):
    scheduled_on: str
    reason: str


class SupervisionReasonIn(Schema):
    reason: str


class SessionIn(Schema):
    kind: str
    held_on: str
    topic: str
    participants: SmallInt
    organisations: SmallInt | None = None
    region_code: str | None = None
    project_id: Id | None = None
    findings: str = ""


class RectificationIn(Schema):
    item: str
    due_on: str


class SupervisionCloseIn(Schema):
    closed_on: str
    note: str


class RectificationOut(Schema):
    id: int
    supervision_id: int
    item: str
    due_on: dt.date
    status: str
    overdue: bool
    closed_on: dt.date | None
    closure_note: str


def rectification_out(r: Rectification) -> dict[str, Any]:
    return {"id": r.pk, "supervision_id": r.supervision_id, "item": r.item, "due_on": r.due_on,
            "status": r.status, "overdue": r.is_overdue, "closed_on": r.closed_on,
            "closure_note": r.closure_note}


class DayOut(Schema):
    date: dt.date
    items: list[SupervisionOut]


class MonthOut(Schema):
    year: int
    month: int
    counts: dict[str, int]
    days: list[DayOut]


class ScheduleOut(Schema):
    created: int
    visits: list[SupervisionOut]


def _filters(kind: str = "", tier: str = "", state: str = "", region: str = "",
             project_id: int | None = None, date_from: dt.date | None = None,
             date_to: dt.date | None = None,
             sessions: bool | None = None) -> selectors.VisitFilters:
    return selectors.VisitFilters(kind=kind, tier=tier, state=state, region_code=region,
                                  project_id=project_id, date_from=date_from, date_to=date_to,
                                  sessions=sessions)


def _get(request: HttpRequest, supervision_id: Id) -> Supervision:
    return selectors.supervision_get(actor=request.user, supervision_id=supervision_id)


def _need_view(request: HttpRequest) -> None:
    if not scope.has_perm(request.user, VIEW):
        raise PermissionDenied()


@router.get("/calendar", response=MonthOut)
def calendar(request: HttpRequest, year: Year, month: SmallInt, kind: str = "", tier: str = "",
             region: str = "") -> dict[str, Any]:
    _need_view(request)
    grid = selectors.calendar_month(actor=request.user, year=year, month=month,
                                    filters=_filters(kind, tier, region=region))
    return {"year": grid.year, "month": grid.month, "counts": grid.counts,
            "days": [{"date": d.date, "items": [supervision_out(s) for s in d.items]}
                     for week in grid.weeks for d in week if d.in_month and d.items]}


@router.get("/visits", response=list[SupervisionOut])
@paginate
def visit_list(request: HttpRequest, kind: str = "", tier: str = "", state: str = "",
               region: str = "", project_id: Id | None = None,
               date_from: dt.date | None = None, date_to: dt.date | None = None) -> Any:
    qs = selectors.supervision_list(actor=request.user, filters=_filters(
        kind, tier, state, region, project_id, date_from, date_to))
    return Mapped(qs, supervision_out)


@router.get("/visits/overdue", response=list[SupervisionOut])
@paginate
def overdue_visits(request: HttpRequest, kind: str = "", tier: str = "", region: str = "") -> Any:
    return Mapped(selectors.overdue_visits(
        actor=request.user, filters=_filters(kind, tier, region=region)), supervision_out)


@router.get("/visits/{supervision_id}", response=SupervisionOut)
def visit_detail(request: HttpRequest, supervision_id: Id) -> dict[str, Any]:
    return supervision_out(_get(request, supervision_id))


@router.post("/visits/{supervision_id}/record", response=SupervisionOut)
def visit_record(request: HttpRequest, supervision_id: Id, body: SupervisionRecordIn) -> dict[str, Any]:
    services.supervision_record(actor=request.user, supervision=_get(request, supervision_id),
                                **body.model_dump())
    return supervision_out(_get(request, supervision_id))


@router.post("/visits/{supervision_id}/reschedule", response=SupervisionOut)
def visit_reschedule(request: HttpRequest, supervision_id: Id,
                     body: RescheduleIn) -> dict[str, Any]:
    services.supervision_reschedule(actor=request.user,
                                    supervision=_get(request, supervision_id),
                                    **body.model_dump())
    return supervision_out(_get(request, supervision_id))


@router.post("/visits/{supervision_id}/miss", response=SupervisionOut)
def visit_miss(request: HttpRequest, supervision_id: Id, body: SupervisionReasonIn) -> dict[str, Any]:
    services.supervision_miss(actor=request.user, supervision=_get(request, supervision_id),
                              reason=body.reason)
    return supervision_out(_get(request, supervision_id))


@router.get("/visits/{supervision_id}/rectifications", response=list[RectificationOut])
def visit_rectifications(request: HttpRequest, supervision_id: Id) -> list[dict[str, Any]]:
    s = _get(request, supervision_id)
    return [rectification_out(r) for r in selectors.rectification_list(actor=request.user,
                                                                      supervision=s)]


@router.post("/visits/{supervision_id}/rectifications", response={201: RectificationOut})
def rectification_add(request: HttpRequest, supervision_id: Id,
                      body: RectificationIn) -> Status[dict[str, Any]]:
    r = services.rectification_add(actor=request.user, supervision=_get(request, supervision_id),
                                   item=body.item, due_on=body.due_on)
    return Status(201, rectification_out(r))


@router.get("/rectifications", response=list[RectificationOut])
@paginate
def rectification_list(request: HttpRequest, state: str = "", region: str = "") -> Any:
    return Mapped(selectors.rectification_list(
        actor=request.user, state=state, region_code=region), rectification_out)


@router.post("/rectifications/{rectification_id}/close", response=RectificationOut)
def rectification_close(request: HttpRequest, rectification_id: Id,
                        body: SupervisionCloseIn) -> dict[str, Any]:
    r = selectors.rectification_get(actor=request.user, rectification_id=rectification_id)
    return rectification_out(services.rectification_close(
        actor=request.user, rectification=r, closed_on=body.closed_on, note_text=body.note))


@router.get("/sessions", response=list[SupervisionOut])
@paginate
def session_list(request: HttpRequest, kind: str = "", region: str = "",
                 date_from: dt.date | None = None, date_to: dt.date | None = None) -> Any:
    return Mapped(selectors.record_list(
        actor=request.user, filters=_filters(kind, region=region, date_from=date_from,
                                             date_to=date_to, sessions=True)), supervision_out)


@router.post("/sessions", response={201: SupervisionOut})
def session_record(request: HttpRequest, body: SessionIn) -> Status[dict[str, Any]]:
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=body.project_id) \
        if body.project_id else None
    region = region_get(actor=actor, code=body.region_code) if body.region_code else None
    s = services.session_record(actor=actor, kind=body.kind, held_on=body.held_on,
                                topic=body.topic, participants=body.participants,
                                organisations=body.organisations, findings=body.findings,
                                region=region, project=project)
    return Status(201, supervision_out(_get(request, s.pk)))


@router.get("/records", response=list[SupervisionOut])
@paginate
def record_list(request: HttpRequest, kind: str = "", tier: str = "", region: str = "",
                date_from: dt.date | None = None, date_to: dt.date | None = None) -> Any:
    return Mapped(selectors.record_list(
        actor=request.user, filters=_filters(kind, tier, region=region, date_from=date_from,
                                             date_to=date_to)), supervision_out)


@router.post("/records/export", response={202: ExportJobOut})
def record_export(request: HttpRequest, kind: str = "", tier: str = "", region: str = "",
                  date_from: dt.date | None = None,
                  date_to: dt.date | None = None) -> Status[Any]:
    """Queue the records export for a worker; poll ``GET /api/v1/exports/{id}`` and fetch the
    workbook from ``GET /api/v1/exports/{id}/file`` when it is done."""
    _need_view(request)
    job_id = exportjobs.export_start(
        actor=request.user, name=exporters.RECORDS, params=exporters.filters_params(_filters(
            kind, tier, region=region, date_from=date_from, date_to=date_to)))
    return Status(202, exportjobs.job_state(actor=request.user, job_id=job_id))


@router.get("/projects/{project_id}/visits", response=list[SupervisionOut])
def project_visits(request: HttpRequest, project_id: Id) -> list[dict[str, Any]]:
    _need_view(request)
    project = selectors.project_get(actor=request.user, project_id=project_id)
    return [supervision_out(s) for s in selectors.project_supervisions(actor=request.user,
                                                                       project=project)]


@router.post("/projects/{project_id}/schedule", response={200: ScheduleOut, 201: ScheduleOut})
def schedule_generate(request: HttpRequest, project_id: Id) -> Status[dict[str, Any]]:
    project = selectors.project_get(actor=request.user, project_id=project_id)
    made = services.schedule_generate(actor=request.user, project=project)
    visits = selectors.supervision_list(actor=request.user,
                                        filters=_filters(project_id=project.pk))
    return Status(201 if made else 200, {"created": len(made),
                                         "visits": [supervision_out(s) for s in visits]})
