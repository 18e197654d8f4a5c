import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Status

from wushe.core.apitypes import Id
from wushe.core.paging import paginate
from wushe.volunteers import access, selectors, services
from wushe.volunteers.api.base import router
from wushe.volunteers.api.schemas import VolunteerReasonIn
from wushe.volunteers.api.schemas_records import (
    ConfirmIn,
    CorrectIn,
    CorrectionRequestIn,
    CorrectionRequestOut,
    DecideIn,
    RecordOut,
    ServiceRecordIn,
)


@router.get("/records", response=list[RecordOut])
@paginate
def record_list(request: HttpRequest, status: str = "", team_id: Id | None = None,
                volunteer_id: Id | None = None, start: dt.date | None = None,
                end: dt.date | None = None, effective: bool = False) -> Any:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=team_id) if team_id else None
    volunteer = selectors.volunteer_get(actor=actor, volunteer_id=volunteer_id) \
        if volunteer_id else None
    return selectors.record_list(actor=actor, filters=selectors.RecordFilters(
        status=status, team=team, volunteer=volunteer, start=start, end=end,
        effective=effective))


@router.post("/records", response={201: RecordOut})
def record_create(request: HttpRequest, body: ServiceRecordIn) -> Status[Any]:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=body.team_id, perm=access.MANAGE)
    volunteer = selectors.volunteer_get(actor=actor, volunteer_id=body.volunteer_id)
    activity = selectors.activity_get(actor=actor, activity_id=body.activity_id) \
        if body.activity_id else None
    record = services.record_create(actor=actor, volunteer=volunteer, team=team,
                                    started_at=body.started_at, ended_at=body.ended_at,
                                    hours=body.hours, content=body.content, activity=activity)
    return Status(201, selectors.record_get(actor=actor, record_id=record.pk))


@router.get("/records/{int:record_id}", response=RecordOut)
def record_detail(request: HttpRequest, record_id: Id) -> Any:
    return selectors.record_get(actor=request.user, record_id=record_id)


@router.get("/queue", response=list[RecordOut])
@paginate
def queue(request: HttpRequest, team_id: Id | None = None) -> Any:
    """Pending records the caller may confirm (its team subtree or its region)."""
    team = selectors.team_get(actor=request.user, team_id=team_id) if team_id else None
    return selectors.confirmation_queue(actor=request.user, team=team)


@router.post("/records/confirm", response=list[RecordOut])
def records_confirm(request: HttpRequest, body: ConfirmIn) -> Any:
    actor = request.user
    records = [selectors.record_get(actor=actor, record_id=i) for i in body.ids[:500]]
    services.records_confirm(actor=actor, records=records)
    return [selectors.record_get(actor=actor, record_id=r.pk) for r in records]


@router.post("/records/{int:record_id}/reject", response=RecordOut)
def record_reject(request: HttpRequest, record_id: Id, body: VolunteerReasonIn) -> Any:
    record = selectors.record_get(actor=request.user, record_id=record_id)
    return services.record_reject(actor=request.user, record=record, reason=body.reason)


@router.post("/records/{int:record_id}/corrections", response={201: RecordOut})
def record_correct(request: HttpRequest, record_id: Id, body: CorrectIn) -> Status[Any]:
    """A correction: a new record naming this one and the reason (pending until confirmed)."""
    actor = request.user
    record = selectors.record_get(actor=actor, record_id=record_id)
    fix = services.record_correct(actor=actor, record=record, **body.model_dump())
    return Status(201, selectors.record_get(actor=actor, record_id=fix.pk))


@router.post("/records/{int:record_id}/correction-requests", response={201: CorrectionRequestOut})
def correction_request(request: HttpRequest, record_id: Id,
                       body: CorrectionRequestIn) -> Status[Any]:
    record = selectors.record_get(actor=request.user, record_id=record_id)
    return Status(201, services.correction_request(
        actor=request.user, record=record, proposed_hours=body.proposed_hours,
        reason=body.reason))


@router.get("/correction-requests", response=list[CorrectionRequestOut])
@paginate
def correction_requests(request: HttpRequest, status: str = "open") -> Any:
    """Requests the caller decides on; a volunteer sees its own with ``mine=1``."""
    return selectors.correction_requests(actor=request.user, status=status)


@router.get("/correction-requests/mine", response=list[CorrectionRequestOut])
def my_correction_requests(request: HttpRequest) -> Any:
    return list(selectors.my_correction_requests(actor=request.user))


@router.get("/correction-requests/{int:request_id}", response=CorrectionRequestOut)
def correction_request_detail(request: HttpRequest, request_id: Id) -> Any:
    return selectors.correction_request_get(actor=request.user, request_id=request_id)


@router.post("/correction-requests/{int:request_id}/decide", response=CorrectionRequestOut)
def correction_decide(request: HttpRequest, request_id: Id, body: DecideIn) -> Any:
    item = selectors.correction_request_get(actor=request.user, request_id=request_id)
    return services.correction_decide(actor=request.user, request=item, accept=body.accept,
                                      note=body.note, hours=body.hours)
