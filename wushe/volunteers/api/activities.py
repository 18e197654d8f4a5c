import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Status

from wushe.core.apitypes import Id
from wushe.core.errors import NotFound
from wushe.core.paging import paginate
from wushe.volunteers import access, selectors, services
from wushe.volunteers.api.base import router
from wushe.volunteers.api.schemas_records import (
    ActivityIn,
    ActivityOut,
    ActivityPatch,
    ActivityStatusIn,
    CheckInIn,
    CheckOutIn,
    RecordOut,
    SignUpIn,
    SignUpOut,
)
from wushe.volunteers.selectors.regions import region_by_code


@router.get("/activities", response=list[ActivityOut])
@paginate
def activity_list(request: HttpRequest, team_id: Id | None = None, status: str = "",
                  kind: str = "", start: dt.date | None = None,
                  end: dt.date | None = None) -> Any:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=team_id) if team_id else None
    return selectors.activity_list(actor=actor, filters=selectors.ActivityFilters(
        team=team, status=status, kind=kind, start=start, end=end)).order_by("starts_at", "id")


@router.post("/activities", response={201: ActivityOut})
def activity_create(request: HttpRequest, body: ActivityIn) -> Status[Any]:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=body.team_id, perm=access.MANAGE)
    values = body.model_dump(exclude={"team_id", "region_code"})
    activity = services.activity_create(
        actor=actor, team=team, region=region_by_code(actor, body.region_code, [team]), **values)
    return Status(201, selectors.activity_get(actor=actor, activity_id=activity.pk))


@router.get("/activities/{int:activity_id}", response=ActivityOut)
def activity_detail(request: HttpRequest, activity_id: Id) -> Any:
    return selectors.activity_get(actor=request.user, activity_id=activity_id)


@router.patch("/activities/{int:activity_id}", response=ActivityOut)
def activity_update(request: HttpRequest, activity_id: Id, body: ActivityPatch) -> Any:
    activity = selectors.activity_get(actor=request.user, activity_id=activity_id)
    services.activity_update(actor=request.user, activity=activity,
                             **body.model_dump(exclude_none=True))
    return selectors.activity_get(actor=request.user, activity_id=activity_id)


@router.post("/activities/{int:activity_id}/status", response=ActivityOut)
def activity_status(request: HttpRequest, activity_id: Id, body: ActivityStatusIn) -> Any:
    activity = selectors.activity_get(actor=request.user, activity_id=activity_id)
    return services.activity_set_status(actor=request.user, activity=activity,
                                        status=body.status)


@router.get("/activities/{int:activity_id}/signups", response=list[SignUpOut])
def signup_list(request: HttpRequest, activity_id: Id) -> Any:
    activity = selectors.activity_get(actor=request.user, activity_id=activity_id)
    return list(selectors.signup_list(actor=request.user, activity=activity))


@router.post("/activities/{int:activity_id}/signups", response={201: SignUpOut})
def signup_create(request: HttpRequest, activity_id: Id, body: SignUpIn) -> Status[Any]:
    actor = request.user
    activity = selectors.activity_get(actor=actor, activity_id=activity_id)
    if body.volunteer_id is None:
        volunteer = selectors.my_volunteer(actor=actor)
        if volunteer is None:
            raise NotFound()
    else:
        volunteer = selectors.volunteer_get(actor=actor, volunteer_id=body.volunteer_id)
    return Status(201, services.signup_create(actor=actor, activity=activity,
                                              volunteer=volunteer))


@router.post("/signups/{int:signup_id}/check-in", response=SignUpOut)
def signup_check_in(request: HttpRequest, signup_id: Id, body: CheckInIn) -> Any:
    item = selectors.signup_get(actor=request.user, signup_id=signup_id)
    return services.signup_check_in(actor=request.user, signup=item, at=body.at)


@router.post("/signups/{int:signup_id}/check-out", response=RecordOut)
def signup_check_out(request: HttpRequest, signup_id: Id, body: CheckOutIn) -> Any:
    """Check out; returns the service record it wrote (pending confirmation)."""
    item = selectors.signup_get(actor=request.user, signup_id=signup_id)
    return services.signup_check_out(actor=request.user, signup=item, at=body.at,
                                     hours=body.hours, content=body.content)


@router.post("/signups/{int:signup_id}/cancel", response=SignUpOut)
def signup_cancel(request: HttpRequest, signup_id: Id) -> Any:
    item = selectors.signup_get(actor=request.user, signup_id=signup_id)
    return services.signup_cancel(actor=request.user, signup=item)
