from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Status

from wushe.core.apitypes import Id
from wushe.core.paging import paginate
from wushe.core.scoping import scopes_disabled
from wushe.people.selectors import person_get
from wushe.volunteers import access, selectors, services
from wushe.volunteers.api.base import public_router, router
from wushe.volunteers.api.schemas import VolunteerReasonIn
from wushe.volunteers.api.schemas_records import (
    CertificateIn,
    CertificateOut,
    PairingIn,
    PairingOut,
    PublicCertificateOut,
    VisitIn,
    VisitOut,
)
from wushe.volunteers.pdf import certificate_pdf


@router.get("/certificates", response=list[CertificateOut])
@paginate
def certificate_list(request: HttpRequest, volunteer_id: Id | None = None) -> Any:
    volunteer = selectors.volunteer_get(actor=request.user, volunteer_id=volunteer_id) \
        if volunteer_id else None
    return selectors.certificate_list(actor=request.user, volunteer=volunteer)


@router.post("/certificates", response={201: CertificateOut})
def certificate_issue(request: HttpRequest, body: CertificateIn) -> Status[Any]:
    actor = request.user
    volunteer = selectors.volunteer_get(actor=actor, volunteer_id=body.volunteer_id)
    team = selectors.team_get(actor=actor, team_id=body.team_id, perm=access.CERTIFY)
    return Status(201, services.certificate_issue(
        actor=actor, volunteer=volunteer, team=team, period_start=body.period_start,
        period_end=body.period_end))


@router.get("/certificates/{int:certificate_id}", response=CertificateOut)
def certificate_detail(request: HttpRequest, certificate_id: Id) -> Any:
    return selectors.certificate_get(actor=request.user, certificate_id=certificate_id)


@router.get("/certificates/{int:certificate_id}/pdf")
def certificate_download(request: HttpRequest, certificate_id: Id) -> HttpResponse:
    certificate = selectors.certificate_get(actor=request.user, certificate_id=certificate_id)
    services.certificate_downloaded(actor=request.user, certificate=certificate)
    url = request.build_absolute_uri(reverse("volunteers:verify_number",
                                             args=[certificate.number]))
    response = HttpResponse(certificate_pdf(certificate.snapshot, valid=certificate.valid,
                                            verify_url=url), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{certificate.number}.pdf"'
    return response


@router.post("/certificates/{int:certificate_id}/revoke", response=CertificateOut)
def certificate_revoke(request: HttpRequest, certificate_id: Id, body: VolunteerReasonIn) -> Any:
    certificate = selectors.certificate_get(actor=request.user, certificate_id=certificate_id)
    return services.certificate_revoke(actor=request.user, certificate=certificate,
                                       reason=body.reason)


@public_router.get("/certificates/{number}", auth=None, response=PublicCertificateOut)
def certificate_verify(request: HttpRequest, number: str) -> Any:
    """Verify a certificate by its number: the masked snapshot and whether it still stands."""
    with scopes_disabled():
        return selectors.certificate_verify(number=number)


@router.get("/pairings", response=list[PairingOut])
@paginate
def pairing_list(request: HttpRequest, status: str = "active") -> Any:
    return selectors.pairing_list(actor=request.user, status=status)


@router.post("/pairings", response={201: PairingOut})
def pairing_create(request: HttpRequest, body: PairingIn) -> Status[Any]:
    actor = request.user
    team = selectors.team_get(actor=actor, team_id=body.team_id, perm=access.MANAGE)
    person = person_get(actor=actor, person_id=body.person_id)
    volunteer = selectors.volunteer_get(actor=actor, volunteer_id=body.volunteer_id) \
        if body.volunteer_id else None
    pairing = services.pairing_create(actor=actor, team=team, person=person,
                                      target_group=body.target_group, needs=body.needs,
                                      volunteer=volunteer, started_on=body.started_on)
    return Status(201, selectors.pairing_get(actor=actor, pairing_id=pairing.pk))


@router.get("/pairings/{int:pairing_id}", response=PairingOut)
def pairing_detail(request: HttpRequest, pairing_id: Id) -> Any:
    return selectors.pairing_get(actor=request.user, pairing_id=pairing_id)


@router.post("/pairings/{int:pairing_id}/end", response=PairingOut)
def pairing_end(request: HttpRequest, pairing_id: Id) -> Any:
    pairing = selectors.pairing_get(actor=request.user, pairing_id=pairing_id)
    services.pairing_end(actor=request.user, pairing=pairing)
    return selectors.pairing_get(actor=request.user, pairing_id=pairing_id)


@router.get("/pairings/{int:pairing_id}/visits", response=list[VisitOut])
def visit_list(request: HttpRequest, pairing_id: Id) -> Any:
    pairing = selectors.pairing_get(actor=request.user, pairing_id=pairing_id)
    return list(selectors.visit_logs(actor=request.user, pairing=pairing))


@router.post("/pairings/{int:pairing_id}/visits", response={201: VisitOut})
def visit_log(request: HttpRequest, pairing_id: Id, body: VisitIn) -> Status[Any]:
    actor = request.user
    pairing = selectors.pairing_get(actor=actor, pairing_id=pairing_id)
    visitor = selectors.volunteer_get(actor=actor, volunteer_id=body.visitor_id) \
        if body.visitor_id else None
    return Status(201, services.visit_log(actor=actor, pairing=pairing,
                                          visited_on=body.visited_on, minutes=body.minutes,
                                          content=body.content, visitor=visitor))
