"""Schemas of the charity API. Money is a decimal string ("1200.00"); people are masked."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema

from wushe.accounts.labels import user_label
from wushe.charity.exporters import beneficiary_text
from wushe.charity.models import Disbursement, Donation, Donor, Fund
from wushe.core.apitypes import Id, SmallInt


class FundTotalsOut(Schema):
    raised: Decimal
    charitable: Decimal
    management: Decimal
    cash: Decimal
    goods: Decimal


class FundOut(Schema):
    id: int
    name: str
    kind: str
    status: str
    region_code: str
    region_name: str
    parent_org_name: str
    purpose: str
    target_groups: list[str]
    need_categories: list[str]
    cap_per_case: Decimal | None
    second_approval_above: Decimal
    established_on: dt.date | None
    totals: FundTotalsOut | None = None

    @staticmethod
    def resolve_region_code(f: Fund) -> str:
        return f.region.code

    @staticmethod
    def resolve_region_name(f: Fund) -> str:
        return f.region.name

    @staticmethod
    def resolve_totals(f: Any) -> Any:
        return getattr(f, "money", None)


class FundMemberOut(Schema):
    id: int
    name: str
    role: str
    affiliation: str
    joined_on: dt.date
    left_on: dt.date | None


class FundDetailOut(FundOut):
    committee: list[FundMemberOut] = []
    committee_problems: list[dict[str, str]] = []

    @staticmethod
    def resolve_committee(f: Any) -> list[Any]:
        return getattr(f, "current_committee", [])

    @staticmethod
    def resolve_committee_problems(f: Any) -> list[dict[str, str]]:
        return getattr(f, "problems", [])


class FundIn(Schema):
    region_code: str
    name: str
    kind: str
    parent_org_name: str
    parent_org_id: Id | None = None  # a registered organisation (orgs), when there is one
    purpose: str = ""
    target_groups: list[str] = []
    need_categories: list[str] = []
    cap_per_case: Decimal | None = None
    second_approval_above: Decimal | None = None
    established_on: dt.date | None = None


class FundPatch(Schema):
    name: str | None = None
    parent_org_name: str | None = None
    purpose: str | None = None
    target_groups: list[str] | None = None
    need_categories: list[str] | None = None
    cap_per_case: Decimal | None = None
    second_approval_above: Decimal | None = None
    established_on: dt.date | None = None


class FundStatusIn(Schema):
    status: str
    reason: str = ""


class FundMemberIn(Schema):
    name: str
    role: str
    affiliation: str = ""
    joined_on: dt.date | None = None


class DonorOut(Schema):
    id: int
    kind: str
    name: str
    credit_code: str | None
    phone: str
    anonymous: bool
    region_code: str

    @staticmethod
    def resolve_name(d: Donor) -> str:
        return d.display_name

    @staticmethod
    def resolve_phone(d: Donor) -> str:
        return d.masked_phone

    @staticmethod
    def resolve_region_code(d: Donor) -> str:
        return d.region.code


class DonorSearchIn(Schema):
    q: str = ""  # a full name or a credit code (each exact)
    kind: str = ""


class DonorIn(Schema):
    region_code: str
    kind: str
    name: str = ""
    credit_code: str | None = None
    person_id: Id | None = None
    contact_name: str = ""
    phone: str | None = None
    anonymous: bool = False
    note: str = ""


class ReceiptOut(Schema):
    number: str
    status: str
    issued_at: dt.datetime
    amount_in_words: str


class DonationOut(Schema):
    id: int
    fund_id: int
    fund_name: str
    donor_id: int
    donor_name: str
    kind: str
    channel: str
    amount: Decimal
    goods_description: str
    goods_quantity: str
    valuation_basis: str
    received_on: dt.date
    status: str
    entry_seq: int | None
    receipt: ReceiptOut | None

    @staticmethod
    def resolve_fund_name(d: Donation) -> str:
        return d.fund.name

    @staticmethod
    def resolve_donor_name(d: Donation) -> str:
        return d.donor.display_name

    @staticmethod
    def resolve_entry_seq(d: Donation) -> int | None:
        return d.entry_id

    @staticmethod
    def resolve_receipt(d: Donation) -> Any:
        return getattr(d, "receipt", None)


class DonationIn(Schema):
    fund_id: Id
    donor_id: Id
    kind: str = "cash"
    amount: Decimal | str
    channel: str = "bank"
    received_on: dt.date | None = None
    goods_description: str = ""
    goods_quantity: str = ""
    valuation_basis: str = ""
    note: str = ""
    idempotency_key: str | None = None


class CharityReasonIn(Schema):
    reason: str


class DisbursementOut(Schema):
    id: int
    fund_id: int
    fund_name: str
    category: str
    source: str
    amount: Decimal
    purpose: str
    beneficiary_kind: str
    beneficiary: str
    beneficiary_count: int
    need_id: int | None
    project_id: int | None
    status: str
    approvals_required: int
    approvals: int
    requested_by: str
    requested_at: dt.datetime
    paid_at: dt.datetime | None
    payment_ref: str
    entry_seq: int | None

    @staticmethod
    def resolve_fund_name(d: Disbursement) -> str:
        return d.fund.name

    @staticmethod
    def resolve_beneficiary(d: Disbursement) -> str:
        return beneficiary_text(d)

    @staticmethod
    def resolve_approvals(d: Any) -> int:
        return int(getattr(d, "n_approvals", 0))

    @staticmethod
    def resolve_requested_by(d: Disbursement) -> str:
        return user_label(d.requested_by)

    @staticmethod
    def resolve_entry_seq(d: Disbursement) -> int | None:
        return d.entry_id


class DisbursementIn(Schema):
    fund_id: Id
    amount: Decimal | str
    purpose: str
    category: str = "charitable"
    source: str = "cash"
    beneficiary_kind: str
    person_id: Id | None = None
    need_id: Id | None = None
    project_id: Id | None = None
    beneficiary_label: str = ""
    beneficiary_count: SmallInt | None = None
    beneficiary_region_code: str | None = None


class CommentIn(Schema):
    comment: str = ""


class PayIn(Schema):
    payment_ref: str = ""


class PostingOut(Schema):
    account: str
    debit: Decimal
    credit: Decimal


class EntryOut(Schema):
    seq: int
    kind: str
    occurred_at: dt.datetime
    ref: str
    memo: str
    reverses: int | None
    prev_hash: str
    hash: str
    postings: list[PostingOut]

    @staticmethod
    def resolve_reverses(e: Any) -> int | None:
        return e.reverses_id

    @staticmethod
    def resolve_postings(e: Any) -> list[dict[str, Any]]:
        return [{"account": p.account.code, "debit": p.debit, "credit": p.credit}
                for p in e.postings.all()]


class DisclosureOut(Schema):
    id: int
    fund_id: int
    kind: str
    period_start: dt.date
    period_end: dt.date
    figures: dict[str, Any]
    note: str
    published_at: dt.datetime
    anchor_seq: int
    anchor_hash: str


class DisclosureIn(Schema):
    kind: str
    period_start: dt.date
    note: str = ""


class VerifyOut(Schema):
    ok: bool
    entries: int
    postings: int
    head_seq: int
    head_hash: str
    accounts_checked: int
    first_broken_seq: int | None
    problems: list[dict[str, Any]]
