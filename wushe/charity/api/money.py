"""Donations (idempotent intake, receipts), disbursements (approval, payment) and exports."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Status

from wushe.charity import selectors, services
from wushe.charity.api.routers import router
from wushe.charity.api.schemas import (
    CharityReasonIn,
    CommentIn,
    DisbursementIn,
    DisbursementOut,
    DonationIn,
    DonationOut,
    PayIn,
)
from wushe.core.apitypes import Id
from wushe.core.errors import ValidationFailed
from wushe.core.excel import XLSX
from wushe.core.paging import paginate
from wushe.regions.selectors import region_get


def _donation_filters(fund: int | None, donor: int | None, kind: str, status: str,
                      date_from: dt.date | None, date_to: dt.date | None,
                      receipt: str) -> selectors.DonationFilters:
    return selectors.DonationFilters(fund_id=fund, donor_id=donor, kind=kind, status=status,
                                     date_from=date_from, date_to=date_to, receipt=receipt)


@router.get("/donations/export.xlsx", response={200: None})
def donations_export(request: HttpRequest, fund: Id | None = None, donor: Id | None = None,
                     kind: str = "", status: str = "", date_from: dt.date | None = None,
                     date_to: dt.date | None = None, receipt: str = "") -> HttpResponse:
    content = services.donations_export(actor=request.user, filters=_donation_filters(
        fund, donor, kind, status, date_from, date_to, receipt))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="donations.xlsx"'
    return response


@router.get("/donations", response=list[DonationOut])
@paginate
def donation_list(request: HttpRequest, fund: Id | None = None, donor: Id | None = None,
                  kind: str = "", status: str = "", date_from: dt.date | None = None,
                  date_to: dt.date | None = None, receipt: str = "") -> Any:
    return selectors.donation_list(actor=request.user, filters=_donation_filters(
        fund, donor, kind, status, date_from, date_to, receipt))


@router.post("/donations", response={201: DonationOut, 200: DonationOut})
def donation_create(request: HttpRequest, body: DonationIn) -> Status[Any]:
    """Idempotent: send the same ``Idempotency-Key`` header (or body field) on a retry and
    the first donation comes back (status 200) instead of a second one."""
    key = request.headers.get("Idempotency-Key") or body.idempotency_key
    if not key:
        raise ValidationFailed("请提供幂等键(Idempotency-Key)", "Send an Idempotency-Key",
                               field="idempotency_key")
    fund = selectors.fund_get(actor=request.user, fund_id=body.fund_id)
    donor = selectors.donor_get(actor=request.user, donor_id=body.donor_id)
    before = selectors.donation_list(actor=request.user).filter(idempotency_key=key).first()
    donation = services.donation_receive(
        actor=request.user, fund=fund, donor=donor, kind=body.kind, amount=body.amount,
        idempotency_key_value=key, channel=body.channel, received_on=body.received_on,
        goods_description=body.goods_description, goods_quantity=body.goods_quantity,
        valuation_basis=body.valuation_basis, note=body.note)
    donation = selectors.donation_get(actor=request.user, donation_id=donation.pk)
    return Status(200 if before is not None else 201, donation)


@router.get("/donations/{donation_id}", response=DonationOut)
def donation_detail(request: HttpRequest, donation_id: Id) -> Any:
    return selectors.donation_get(actor=request.user, donation_id=donation_id)


@router.post("/donations/{donation_id}/reverse", response=DonationOut)
def donation_reverse(request: HttpRequest, donation_id: Id, body: CharityReasonIn) -> Any:
    donation = selectors.donation_get(actor=request.user, donation_id=donation_id)
    services.donation_reverse(actor=request.user, donation=donation, reason=body.reason)
    return selectors.donation_get(actor=request.user, donation_id=donation_id)


@router.get("/donations/{donation_id}/receipt.pdf", response={200: None})
def donation_receipt(request: HttpRequest, donation_id: Id) -> HttpResponse:
    donation = selectors.donation_get(actor=request.user, donation_id=donation_id)
    content = services.receipt_pdf(actor=request.user, donation=donation)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="receipt-{donation.receipt.number}.pdf"'
    return response


def _disbursement_filters(fund: int | None, status: str, category: str,
                          date_from: dt.date | None, date_to: dt.date | None,
                          awaiting_me: bool) -> selectors.DisbursementFilters:
    return selectors.DisbursementFilters(fund_id=fund, status=status, category=category,
                                         date_from=date_from, date_to=date_to,
                                         awaiting_me=awaiting_me)


@router.get("/disbursements/export.xlsx", response={200: None})
def disbursements_export(request: HttpRequest, fund: Id | None = None, status: str = "",
                         category: str = "", date_from: dt.date | None = None,
                         date_to: dt.date | None = None) -> HttpResponse:
    content = services.disbursements_export(actor=request.user, filters=_disbursement_filters(
        fund, status, category, date_from, date_to, False))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="disbursements.xlsx"'
    return response


@router.get("/disbursements", response=list[DisbursementOut])
@paginate
def disbursement_list(request: HttpRequest, fund: Id | None = None, status: str = "",
                      category: str = "", date_from: dt.date | None = None,
                      date_to: dt.date | None = None, awaiting_me: bool = False) -> Any:
    return selectors.disbursement_list(actor=request.user, filters=_disbursement_filters(
        fund, status, category, date_from, date_to, awaiting_me))


@router.post("/disbursements", response={201: DisbursementOut})
def disbursement_create(request: HttpRequest, body: DisbursementIn) -> Status[Any]:
    actor = request.user
    fund = selectors.fund_get(actor=actor, fund_id=body.fund_id)
    person = None
    if body.person_id:
        from wushe.people.selectors import person_get

        person = person_get(actor=actor, person_id=body.person_id)
    region = (region_get(actor=actor, code=body.beneficiary_region_code)
              if body.beneficiary_region_code else None)
    d = services.disbursement_request(
        actor=actor, fund=fund, amount=body.amount, purpose=body.purpose,
        category=body.category, source=body.source, beneficiary_kind=body.beneficiary_kind,
        person=person, need_id=body.need_id, project_id=body.project_id,
        beneficiary_label=body.beneficiary_label, beneficiary_count=body.beneficiary_count,
        beneficiary_region=region)
    return Status(201, selectors.disbursement_get(actor=actor, disbursement_id=d.pk))


@router.get("/disbursements/{disbursement_id}", response=DisbursementOut)
def disbursement_detail(request: HttpRequest, disbursement_id: Id) -> Any:
    return selectors.disbursement_get(actor=request.user, disbursement_id=disbursement_id)


def _act(request: HttpRequest, disbursement_id: Id, call: Any, **kw: Any) -> Any:
    d = selectors.disbursement_get(actor=request.user, disbursement_id=disbursement_id)
    call(actor=request.user, disbursement=d, **kw)
    return selectors.disbursement_get(actor=request.user, disbursement_id=disbursement_id)


@router.post("/disbursements/{disbursement_id}/approve", response=DisbursementOut)
def disbursement_approve(request: HttpRequest, disbursement_id: Id, body: CommentIn) -> Any:
    return _act(request, disbursement_id, services.disbursement_approve, comment=body.comment)


@router.post("/disbursements/{disbursement_id}/reject", response=DisbursementOut)
def disbursement_reject(request: HttpRequest, disbursement_id: Id, body: CharityReasonIn) -> Any:
    return _act(request, disbursement_id, services.disbursement_reject, reason=body.reason)


@router.post("/disbursements/{disbursement_id}/cancel", response=DisbursementOut)
def disbursement_cancel(request: HttpRequest, disbursement_id: Id, body: CharityReasonIn) -> Any:
    return _act(request, disbursement_id, services.disbursement_cancel, reason=body.reason)


@router.post("/disbursements/{disbursement_id}/pay", response=DisbursementOut)
def disbursement_pay(request: HttpRequest, disbursement_id: Id, body: PayIn) -> Any:
    return _act(request, disbursement_id, services.disbursement_pay,
                payment_ref=body.payment_ref)


@router.post("/disbursements/{disbursement_id}/reverse", response=DisbursementOut)
def disbursement_reverse(request: HttpRequest, disbursement_id: Id, body: CharityReasonIn) -> Any:
    return _act(request, disbursement_id, services.disbursement_reverse, reason=body.reason)
