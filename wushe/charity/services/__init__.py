"""Every write of the charity app: ``<noun>_<verb>(*, actor, ...)``, one transaction each,
permission first, audit in the same transaction."""

from wushe.charity import audit_codes  # noqa: F401  (registers the action codes)
from wushe.charity.services.disbursements import (
    disbursement_approve,
    disbursement_cancel,
    disbursement_pay,
    disbursement_reject,
    disbursement_request,
    disbursement_request_for_need,
    disbursement_reverse,
    disbursement_withdraw_for_need,
)
from wushe.charity.services.disclosure import disclosure_publish
from wushe.charity.services.donations import (
    donation_receive,
    donation_reverse,
    receipt_pdf,
)
from wushe.charity.services.donors import donor_create, donor_unmask
from wushe.charity.services.exports import disbursements_export, donations_export
from wushe.charity.services.funds import (
    committee_member_add,
    committee_member_remove,
    committee_set,
    fund_create,
    fund_set_status,
    fund_update,
)

__all__ = [
    "committee_member_add", "committee_member_remove",
    "committee_set", "disbursement_approve", "disbursement_cancel", "disbursement_pay",
    "disbursement_reject", "disbursement_request", "disbursement_request_for_need",
    "disbursement_withdraw_for_need", "disbursement_reverse", "disbursements_export",
    "disclosure_publish", "donation_receive", "donation_reverse", "donations_export",
    "donor_create", "donor_unmask", "fund_create", "fund_set_status", "fund_update", "receipt_pdf",
]
