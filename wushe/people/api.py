import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from wushe.core.apitypes import Id
from wushe.core.errors import ValidationFailed
from wushe.core.paging import paginate
from wushe.people import selectors, services
from wushe.people.models import Person
from wushe.regions.selectors import region_get
from wushe.web import privatesearch

router = Router(tags=["people"])


class PersonOut(Schema):
    """Masked by default: the API never returns sensitive fields in clear except via /unmask."""

    id: int
    name: str
    gender: str
    birth_year: int | None
    id_number: str
    phone: str
    region_code: str
    region_name: str

    @staticmethod
    def resolve_name(p: Person) -> str:
        return p.masked_name

    @staticmethod
    def resolve_birth_year(p: Person) -> int | None:
        return p.birth_date.year if p.birth_date else None

    @staticmethod
    def resolve_id_number(p: Person) -> str:
        return p.masked_id_number

    @staticmethod
    def resolve_phone(p: Person) -> str:
        return p.masked_phone

    @staticmethod
    def resolve_region_code(p: Person) -> str:
        return p.region.code

    @staticmethod
    def resolve_region_name(p: Person) -> str:
        return p.region.name


class PersonIn(Schema):
    region_code: str
    name: str
    id_number: str | None = None
    phone: str | None = None
    address: str = ""


class PersonPatch(Schema):
    name: str | None = None
    id_number: str | None = None
    phone: str | None = None
    address: str | None = None


class PersonUnmaskIn(Schema):
    field: str
    purpose: str


class PersonUnmaskOut(Schema):
    field: str
    value: str


class ConsentIn(Schema):
    purpose: str
    scope: str
    sensitive: bool = False
    guardian_id: Id | None = None
    guardian_relation: str = ""


class ConsentOut(Schema):
    id: int
    purpose: str
    scope: str
    sensitive: bool
    given_at: dt.datetime
    withdrawn_at: dt.datetime | None


class PersonSearchIn(Schema):
    q: str = ""  # a full ID number, phone or full name (each exact)
    region: str = ""


class NameInUrl(ValidationFailed):
    """A GET whose query string carries a name: names are personal data, POST the search."""

    code = "name_in_url"

    def __init__(self) -> None:
        super().__init__("姓名不能放在网址中,请改用 POST /api/v1/people/search 并在请求正文中提交",
                         "A name must not be in the URL: POST it to /api/v1/people/search in the "
                         "request body instead", field="q")


@router.get("/", response=list[PersonOut])
@paginate
def person_list(request: HttpRequest, q: str = "", region: str = "") -> Any:
    """By region; a ``q`` is refused (400 ``identifier_in_url`` for an ID number or a phone,
    ``name_in_url`` for a name): it would land in access logs, use ``POST /search`` (#22)."""
    privatesearch.refuse_identifier_in_query(request, "q", search_path="/api/v1/people/search")
    if q.strip():
        raise NameInUrl
    qs = selectors.person_list(actor=request.user,
                               filters=selectors.PersonFilters(q=q, region_code=region))
    return qs


@router.post("/search", response=list[PersonOut])
@paginate
def person_search(request: HttpRequest, body: PersonSearchIn) -> Any:
    """The same list, the search in the body: for ID numbers and phones."""
    return selectors.person_list(actor=request.user, filters=selectors.PersonFilters(
        q=body.q, region_code=body.region))


@router.post("/", response={201: PersonOut})
def person_create(request: HttpRequest, body: PersonIn) -> Status[Any]:
    region = region_get(actor=request.user, code=body.region_code)
    person = services.person_create(actor=request.user, region=region, name=body.name,
                                    id_number=body.id_number, phone=body.phone,
                                    address=body.address)
    return Status(201, person)


@router.get("/{person_id}", response=PersonOut)
def person_detail(request: HttpRequest, person_id: Id) -> Any:
    return selectors.person_get(actor=request.user, person_id=person_id)


@router.patch("/{person_id}", response=PersonOut)
def person_update(request: HttpRequest, person_id: Id, body: PersonPatch) -> Any:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    person = services.person_update(actor=request.user, person=person,
                                    **body.model_dump(exclude_none=True))
    return person


@router.post("/{person_id}/unmask", response=PersonUnmaskOut)
def person_unmask(request: HttpRequest, person_id: Id, body: PersonUnmaskIn) -> dict[str, str]:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    value = services.person_unmask(actor=request.user, person=person, field=body.field,
                                   purpose=body.purpose)
    return {"field": body.field, "value": value}


@router.get("/{person_id}/consents", response=list[ConsentOut])
def consent_list(request: HttpRequest, person_id: Id) -> Any:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    return list(selectors.consent_list(actor=request.user, person=person))


@router.post("/{person_id}/consents", response={201: ConsentOut})
def consent_give(request: HttpRequest, person_id: Id, body: ConsentIn) -> Status[Any]:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    guardian = (selectors.person_get(actor=request.user, person_id=body.guardian_id)
                if body.guardian_id else None)
    consent = services.consent_give(
        actor=request.user, person=person, purpose=body.purpose, scope_text=body.scope,
        sensitive=body.sensitive, guardian=guardian, guardian_relation=body.guardian_relation)
    return Status(201, consent)


@router.post("/consents/{consent_id}/withdraw", response=ConsentOut)
def consent_withdraw(request: HttpRequest, consent_id: Id) -> Any:
    consent = selectors.consent_get(actor=request.user, consent_id=consent_id)
    return services.consent_withdraw(actor=request.user, consent=consent)
