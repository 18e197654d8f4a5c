from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from ninja import Status

from wushe.core.apitypes import Id
from wushe.core.paging import paginate
from wushe.volunteers import selectors, services
from wushe.volunteers.api.base import router
from wushe.volunteers.api.schemas import LeaderIn, TeamIn, TeamOut, TeamPatch, TeamTotalsOut
from wushe.volunteers.selectors.regions import region_by_code

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@router.get("/teams", response=list[TeamOut])
@paginate
def team_list(request: HttpRequest, level: str = "", parent_id: Id | None = None,
              q: str = "") -> Any:
    parent = selectors.team_get(actor=request.user, team_id=parent_id) if parent_id else None
    return selectors.team_list(actor=request.user, level=level, parent=parent, q=q)


@router.post("/teams", response={201: TeamOut})
def team_create(request: HttpRequest, body: TeamIn) -> Status[Any]:
    actor = request.user
    parent = selectors.team_get(actor=actor, team_id=body.parent_id) if body.parent_id else None
    region = _region(actor, body.region_code, parent)
    team = services.team_create(actor=actor, name=body.name, level=body.level, region=region,
                                parent=parent, brand=body.brand, description=body.description)
    return Status(201, selectors.team_get(actor=actor, team_id=team.pk))


def _region(actor: "Actor", code: str, parent: Any) -> Any:
    """A leader creating a sub-team may name any region inside its team's region."""
    return region_by_code(actor, code, [parent] if parent else [])


@router.get("/teams/{int:team_id}", response=TeamOut)
def team_detail(request: HttpRequest, team_id: Id) -> Any:
    return selectors.team_get(actor=request.user, team_id=team_id)


@router.patch("/teams/{int:team_id}", response=TeamOut)
def team_update(request: HttpRequest, team_id: Id, body: TeamPatch) -> Any:
    team = selectors.team_get(actor=request.user, team_id=team_id)
    services.team_update(actor=request.user, team=team, **body.model_dump(exclude_none=True))
    return selectors.team_get(actor=request.user, team_id=team_id)


@router.get("/teams/{int:team_id}/children", response=list[TeamOut])
def team_children(request: HttpRequest, team_id: Id) -> Any:
    team = selectors.team_get(actor=request.user, team_id=team_id)
    return selectors.team_children(actor=request.user, team=team)


@router.get("/teams/{int:team_id}/totals", response=TeamTotalsOut)
def team_totals(request: HttpRequest, team_id: Id) -> dict[str, Any]:
    """The team's subtree totals: one row, maintained as records are confirmed."""
    team = selectors.team_get(actor=request.user, team_id=team_id)
    return {"team_id": team.pk, "hours_confirmed": team.hours_confirmed,
            "records_confirmed": team.records_confirmed, "members": team.members}


@router.post("/teams/{int:team_id}/leaders", response={201: dict[str, Any]})
def team_leader_appoint(request: HttpRequest, team_id: Id, body: LeaderIn) -> Status[Any]:
    team = selectors.team_get(actor=request.user, team_id=team_id)
    grant = services.team_leader_appoint(actor=request.user, team=team, username=body.username)
    return Status(201, {"grant_id": grant.pk, "team_id": team.pk, "username": body.username})
