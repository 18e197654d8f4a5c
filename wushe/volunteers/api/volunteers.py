from typing import Annotated, Any

from django.http import HttpRequest
from ninja import File, Form, Schema, Status, UploadedFile
from pydantic import Field

from wushe.accounts import scope
from wushe.core import importjobs
from wushe.core.apitypes import Id
from wushe.core.context import client_ip
from wushe.core.errors import NotFound
from wushe.core.paging import paginate
from wushe.regions.selectors import region_get
from wushe.volunteers import access, selectors, services
from wushe.volunteers.api.base import public_router, router
from wushe.volunteers.api.schemas import (
    ApplicationIn,
    ApplicationOut,
    ApplicationReceipt,
    MembershipIn,
    MembershipOut,
    VolunteerIn,
    VolunteerOut,
    VolunteerPatch,
    VolunteerReasonIn,
)
from wushe.volunteers.api.schemas_records import JobOut
from wushe.volunteers.selectors.regions import region_by_code
from wushe.volunteers.services import GuardianSpec, Registration
from wushe.volunteers.stars import MAX_STARS
from wushe.web import privatesearch

#: A star level to filter by (0 … 5): anything else is a 422, not an index past the scale.
Stars = Annotated[int, Field(ge=0, le=MAX_STARS)]


class VolunteerSearchIn(Schema):
    q: str = ""  # a volunteer number, a full ID number, or the start of a name
    team_id: Id | None = None
    status: str = ""
    stars: Stars | None = None
    region: str = ""


@router.get("/", response=list[VolunteerOut])
@paginate
def volunteer_list(request: HttpRequest, q: str = "", team_id: Id | None = None,
                   status: str = "", stars: Stars | None = None, region: str = "") -> Any:
    """A ``q`` that looks like an ID number or a phone is refused (400 ``identifier_in_url``):
    it would land in access logs; ``POST /search`` takes it in the body (#22)."""
    privatesearch.refuse_identifier_in_query(request, "q",
                                             search_path="/api/v1/volunteers/search")
    return _volunteers(request, q=q, team_id=team_id, status=status, stars=stars,
                       region=region)


@router.post("/search", response=list[VolunteerOut])
@paginate
def volunteer_search(request: HttpRequest, body: VolunteerSearchIn) -> Any:
    """The same list, the search in the body: for ID numbers."""
    return _volunteers(request, **body.model_dump())


def _volunteers(request: HttpRequest, *, q: str, team_id: int | None, status: str,
                stars: int | None, region: str) -> Any:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=team_id) if team_id else None
    region_path = ""
    if region:
        region_path = region_get(actor=actor, code=region).path
    qs = selectors.volunteer_list(actor=actor, filters=selectors.VolunteerFilters(
        q=q, team=team, status=status, stars=stars, region_path=region_path))
    return _Starred(qs)


class _Starred:
    """A queryset wrapper that adds the star level to each item of the page it yields."""

    def __init__(self, qs: Any) -> None:
        self.qs = qs

    def __getitem__(self, key: Any) -> Any:
        items = self.qs[key]
        if isinstance(key, slice):
            items = list(items)
            selectors.annotate_stars(items)
        return items

    def count(self) -> int:
        return int(self.qs.count())

    def __len__(self) -> int:
        return self.count()


@router.post("/", response={201: VolunteerOut})
def volunteer_register(request: HttpRequest, body: VolunteerIn) -> Status[Any]:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=body.team_id, perm=access.MANAGE) \
        if body.team_id else None
    region = region_by_code(actor, body.region_code, [team] if team else [])
    g = body.guardian
    volunteer = services.volunteer_register(
        actor=actor, region=region, team=team,
        data=Registration(name=body.name, id_number=body.id_number, phone=body.phone,
                          skills=body.skills, interests=body.interests,
                          availability=body.availability, join_date=body.join_date,
                          guardian=GuardianSpec(g.name, g.id_number, g.relation, g.phone)
                          if g else None))
    return Status(201, selectors.volunteer_get(actor=actor, volunteer_id=volunteer.pk))


@router.get("/me", response=VolunteerOut)
def volunteer_me(request: HttpRequest) -> Any:
    """The caller's own volunteer record (the volunteer role sees itself only)."""
    me = selectors.my_volunteer(actor=request.user)
    if me is None:
        raise NotFound()
    return me


@router.get("/{int:volunteer_id}", response=VolunteerOut)
def volunteer_detail(request: HttpRequest, volunteer_id: Id) -> Any:
    return selectors.volunteer_get(actor=request.user, volunteer_id=volunteer_id)


@router.patch("/{int:volunteer_id}", response=VolunteerOut)
def volunteer_update(request: HttpRequest, volunteer_id: Id, body: VolunteerPatch) -> Any:
    volunteer = selectors.volunteer_get(actor=request.user, volunteer_id=volunteer_id)
    services.volunteer_update(actor=request.user, volunteer=volunteer,
                              **body.model_dump(exclude_none=True))
    return selectors.volunteer_get(actor=request.user, volunteer_id=volunteer_id)


@router.get("/{int:volunteer_id}/memberships", response=list[MembershipOut])
def membership_list(request: HttpRequest, volunteer_id: Id) -> Any:
    volunteer = selectors.volunteer_get(actor=request.user, volunteer_id=volunteer_id)
    return selectors.memberships(actor=request.user, volunteer=volunteer)


@router.post("/{int:volunteer_id}/memberships", response={201: MembershipOut})
def membership_add(request: HttpRequest, volunteer_id: Id, body: MembershipIn) -> Status[Any]:
    actor = request.user
    volunteer = selectors.volunteer_get(actor=actor, volunteer_id=volunteer_id)
    team = selectors.team_get(actor=actor, team_id=body.team_id, perm=access.MANAGE)
    return Status(201, services.membership_add(actor=actor, volunteer=volunteer, team=team))


@router.get("/applications", response=list[ApplicationOut])
@paginate
def application_list(request: HttpRequest, status: str = "pending") -> Any:
    return selectors.application_list(actor=request.user, status=status)


@router.post("/applications/{int:application_id}/approve", response=ApplicationOut)
def application_approve(request: HttpRequest, application_id: Id) -> Any:
    item = selectors.application_get(actor=request.user, application_id=application_id)
    return services.application_approve(actor=request.user, application=item)


@router.post("/applications/{int:application_id}/reject", response=ApplicationOut)
def application_reject(request: HttpRequest, application_id: Id, body: VolunteerReasonIn) -> Any:
    item = selectors.application_get(actor=request.user, application_id=application_id)
    return services.application_reject(actor=request.user, application=item, note=body.reason)


@public_router.post("/volunteer-applications", auth=None, response={201: ApplicationReceipt})
def application_submit(request: HttpRequest, body: ApplicationIn) -> Status[Any]:
    """Self-registration without an account (rate-limited per client address)."""
    from wushe.core.scoping import scopes_disabled

    with scopes_disabled():
        region = selectors.public_community(body.region_code)
        team = selectors.public_team(str(body.team_id or ""), region) if body.team_id else None
    if region is None:
        raise NotFound("社区不存在", "Community not found")
    g = body.guardian
    application = services.application_submit(
        region=region, team=team, name=body.name, id_number=body.id_number, phone=body.phone,
        skills=body.skills, interests=body.interests, availability=body.availability,
        consent=body.consent,
        guardian=GuardianSpec(g.name, g.id_number, g.relation, g.phone) if g else None,
        client_ip=client_ip(request.META))
    return Status(201, {"reference": application.reference, "status": application.status})


@router.post("/import", response={202: JobOut})
def roster_import(request: HttpRequest, file: File[UploadedFile], dry_run: Form[bool] = False,
                  valid_only: Form[bool] = False) -> Status[Any]:
    """Start a roster import; poll ``GET /import/{job_id}`` for progress and the result."""
    actor = request.user
    if not scope.has_perm(actor, access.MANAGE):
        raise NotFound()
    job_id = importjobs.job_start(actor=actor, kind="volunteers", upload=file, dry_run=dry_run,
                                  valid_only=valid_only)
    return Status(202, importjobs.job_state(actor=actor, job_id=job_id))


@router.get("/import/{job_id}", response=JobOut)
def roster_import_state(request: HttpRequest, job_id: str) -> Any:
    return importjobs.job_state(actor=request.user, job_id=job_id)
