"""Audit action codes of the charity app (``charity.<model>.<verb>``)."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class CharityAction(StrEnum):
    FUND_CREATED = "charity.fund.created"
    FUND_UPDATED = "charity.fund.updated"
    FUND_STATUS_CHANGED = "charity.fund.status_changed"
    COMMITTEE_MEMBER_ADDED = "charity.committee.member_added"
    COMMITTEE_MEMBER_REMOVED = "charity.committee.member_removed"
    DONOR_CREATED = "charity.donor.created"
    DONOR_UNMASKED = "charity.donor.unmasked"
    DONATION_RECEIVED = "charity.donation.received"
    DONATION_REVERSED = "charity.donation.reversed"
    DONATIONS_EXPORTED = "charity.donation.exported"
    RECEIPT_PRINTED = "charity.receipt.printed"
    DISBURSEMENT_REQUESTED = "charity.disbursement.requested"
    DISBURSEMENT_APPROVED = "charity.disbursement.approved"
    DISBURSEMENT_REJECTED = "charity.disbursement.rejected"
    DISBURSEMENT_CANCELLED = "charity.disbursement.cancelled"
    DISBURSEMENT_PAID = "charity.disbursement.paid"
    DISBURSEMENT_REVERSED = "charity.disbursement.reversed"
    DISBURSEMENTS_EXPORTED = "charity.disbursement.exported"
    DISCLOSURE_PUBLISHED = "charity.disclosure.published"
    CAMPAIGN_CREATED = "charity.campaign.created"
    CAMPAIGN_REPORTED_TOTAL_SET = "charity.campaign.reported_total_set"
    CAMPAIGN_STATEMENT_IMPORTED = "charity.campaign.statement_imported"


register(CharityAction)
