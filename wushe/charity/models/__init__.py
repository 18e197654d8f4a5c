"""Charity resources: funds, donors, donations, disbursements and the hash-chained ledger."""

from wushe.charity.models.campaigns import Campaign, CampaignTransaction, StatementImport
from wushe.charity.models.disbursements import (
    COMMITTED,
    BeneficiaryKind,
    Decision,
    Disbursement,
    DisbursementAim,
    DisbursementApproval,
    DisbursementCategory,
    DisbursementSource,
    DisbursementStatus,
)
from wushe.charity.models.disclosure import Disclosure, DisclosureKind
from wushe.charity.models.donations import (
    Donation,
    DonationChannel,
    DonationKind,
    DonationStatus,
    Receipt,
    ReceiptCounter,
    ReceiptStatus,
)
from wushe.charity.models.donors import Donor, DonorKind
from wushe.charity.models.funds import (
    CommitteeMember,
    CommitteeRole,
    Fund,
    FundKind,
    FundStatus,
    TargetGroup,
)
from wushe.charity.models.ledger import (
    DEBIT_NORMAL,
    GENESIS_HASH,
    AccountCode,
    EntryKind,
    LedgerAccount,
    LedgerEntry,
    LedgerHead,
    LedgerPosting,
)

__all__ = [
    "COMMITTED", "DEBIT_NORMAL", "GENESIS_HASH", "AccountCode", "BeneficiaryKind", "Campaign",
    "CampaignTransaction", "StatementImport",
    "CommitteeMember", "CommitteeRole", "Decision", "Disbursement", "DisbursementAim",
    "DisbursementApproval", "DisbursementCategory", "DisbursementSource", "DisbursementStatus", "Disclosure",
    "DisclosureKind", "Donation", "DonationChannel", "DonationKind", "DonationStatus", "Donor",
    "DonorKind", "EntryKind", "Fund", "FundKind", "FundStatus", "LedgerAccount", "LedgerEntry",
    "LedgerHead", "LedgerPosting", "Receipt", "ReceiptCounter", "ReceiptStatus", "TargetGroup",
]
