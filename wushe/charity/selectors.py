"""Reads of charity data: always scoped (region grants and fund object grants, see access.py),
with the related rows each page needs fetched in bounded queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.charity import access, chain, rules
from wushe.charity.models import (
    COMMITTED,
    CommitteeMember,
    CommitteeRole,
    Decision,
    Disbursement,
    DisbursementApproval,
    DisbursementStatus,
    Disclosure,
    Donation,
    Donor,
    Fund,
    FundKind,
    FundStatus,
    LedgerAccount,
    LedgerEntry,
    LedgerPosting,
)
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.ids import identifier_text, region_code_text, to_half_width
from wushe.regions import rules as region_rules
from wushe.regions.models import Region

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _region_path(code: str) -> str | None:
    code = region_code_text(code)
    if not code:
        return None
    if not code.isdigit():
        raise ValidationFailed("地区代码无效", "Invalid region code", field="region")
    region = Region.objects.unscoped(reason="reference: the region tree").filter(code=code).only("path").first()
    return region.path if region else "#"


# --- funds ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class FundFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    region_code: str = ""

    def apply(self, qs: QuerySet[Fund]) -> QuerySet[Fund]:
        if self.q:
            qs = qs.filter(Q(name__contains=self.q.strip()) | Q(parent_org_name__contains=self.q.strip()))
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.status:
            qs = qs.filter(status=self.status)
        path = _region_path(self.region_code)
        if path is not None:
            qs = qs.filter(scope.subtree_q("region_path", path))
        return qs


def fund_list(*, actor: Actor, filters: FundFilters | None = None,
              perm: str = access.VIEW) -> QuerySet[Fund]:
    qs = access.visible(Fund.objects.all(), actor, perm, fund_field="id")
    return (filters or FundFilters()).apply(qs).select_related("region").order_by(
        "region_path", "kind", "name")


def fund_get(*, actor: Actor, fund_id: Any) -> Fund:
    try:
        return fund_list(actor=actor).get(pk=int(fund_id))
    except (Fund.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def committee(*, fund: Fund, current: bool = True) -> list[CommitteeMember]:
    qs = CommitteeMember.objects.unscoped(reason="children of a row read in scope").filter(fund=fund)
    if current:
        qs = qs.filter(left_on=None)
    return list(qs.order_by("role", "id"))


def member_get(*, actor: Actor, member_id: Any) -> CommitteeMember:
    try:
        member = CommitteeMember.objects.unscoped(reason="checked just below, 404 when out of scope").select_related("fund").get(pk=int(member_id))
    except (CommitteeMember.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
    if not access.holds(actor, access.VIEW, member.fund):
        raise NotFound()
    return member


def managed_funds(*, actor: Actor, perm: str = access.MANAGE) -> QuerySet[Fund]:
    """Active funds the actor may act on (for forms' choices)."""
    return fund_list(actor=actor, perm=perm).filter(status=FundStatus.ACTIVE)


# --- donors ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DonorFilters:
    q: str = ""
    kind: str = ""

    def apply(self, qs: QuerySet[Donor]) -> QuerySet[Donor]:
        q = to_half_width(self.q).strip()
        if q:
            # Names are encrypted: the exact full name (through its blind index) or the code.
            qs = qs.filter(Q(name=q) | Q(credit_code=q.upper()))
        if self.kind:
            qs = qs.filter(kind=self.kind)
        return qs


def donor_list(*, actor: Actor, filters: DonorFilters | None = None) -> QuerySet[Donor]:
    """Donors registered in the actor's area, and those who gave to a fund it manages."""
    region_q = scope.filter_q(actor, access.VIEW, "region_path")
    qs = Donor.objects.all()
    if region_q is not None:
        ids = scope.object_ids(actor, "fund", access.VIEW)
        gave = Donation.objects.mark_scoped().filter(fund_id__in=ids).values("donor_id")
        qs = qs.filter(region_q | Q(pk__in=gave) if ids else region_q)
    qs = (filters or DonorFilters()).apply(qs.mark_scoped())
    return qs.annotate(n_donations=Count("donations")).select_related("region").order_by(
        "kind", "id")


def donor_get(*, actor: Actor, donor_id: Any) -> Donor:
    try:
        return donor_list(actor=actor).get(pk=int(donor_id))
    except (Donor.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- donations ------------------------------------------------------------------------------

@dataclass(frozen=True)
class DonationFilters:
    fund_id: int | None = None
    donor_id: int | None = None
    kind: str = ""
    status: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    receipt: str = ""

    def apply(self, qs: QuerySet[Donation]) -> QuerySet[Donation]:
        if self.fund_id:
            qs = qs.filter(fund_id=self.fund_id)
        if self.donor_id:
            qs = qs.filter(donor_id=self.donor_id)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.date_from:
            qs = qs.filter(received_on__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(received_on__lte=self.date_to)
        if self.receipt:
            qs = qs.filter(receipt__number=identifier_text(
                self.receipt, what_zh="票据号", what_en="receipt number", field="receipt"))
        return qs


def donation_list(*, actor: Actor, filters: DonationFilters | None = None) -> QuerySet[Donation]:
    qs = access.visible(Donation.objects.all(), actor)
    return ((filters or DonationFilters()).apply(qs)
            .select_related("fund", "donor", "receipt", "created_by")
            .order_by("-received_on", "-id"))


def donation_get(*, actor: Actor, donation_id: Any) -> Donation:
    try:
        return donation_list(actor=actor).get(pk=int(donation_id))
    except (Donation.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- disbursements --------------------------------------------------------------------------

@dataclass(frozen=True)
class DisbursementFilters:
    fund_id: int | None = None
    status: str = ""
    category: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    awaiting_me: bool = False

    def apply(self, qs: QuerySet[Disbursement], actor: Actor) -> QuerySet[Disbursement]:
        if self.fund_id:
            qs = qs.filter(fund_id=self.fund_id)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.category:
            qs = qs.filter(category=self.category)
        if self.date_from:
            qs = qs.filter(requested_at__date__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(requested_at__date__lte=self.date_to)
        if self.awaiting_me:
            approvable = access.fund_q(actor, access.APPROVE)
            qs = qs.filter(status=DisbursementStatus.REQUESTED).exclude(
                requested_by=signed_in(actor)).exclude(approvals__approver=signed_in(actor))
            if approvable is not None:
                qs = qs.filter(approvable)
        return qs


def disbursement_list(*, actor: Actor,
                      filters: DisbursementFilters | None = None) -> QuerySet[Disbursement]:
    qs = access.visible(Disbursement.objects.all(), actor)
    return ((filters or DisbursementFilters()).apply(qs, actor)
            .select_related("fund", "person", "beneficiary_region", "requested_by")
            .annotate(n_approvals=Count("approvals", filter=Q(approvals__decision=Decision.APPROVE)))
            .order_by("-requested_at", "-id"))


def disbursement_get(*, actor: Actor, disbursement_id: Any) -> Disbursement:
    try:
        return disbursement_list(actor=actor).get(pk=int(disbursement_id))
    except (Disbursement.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def approvals(*, disbursement: Disbursement) -> list[DisbursementApproval]:
    return list(DisbursementApproval.objects.filter(disbursement=disbursement)
                .select_related("approver").order_by("at", "id"))


def awaiting_count(*, actor: Actor) -> int:
    return disbursement_list(actor=actor, filters=DisbursementFilters(awaiting_me=True)).count()


# --- ledger and disclosures -----------------------------------------------------------------

def entry_list(*, actor: Actor, fund: Fund | None = None) -> QuerySet[LedgerEntry]:
    qs = access.visible(LedgerEntry.objects.all(), actor)
    if fund is not None:
        qs = qs.filter(fund=fund)
    # Postings belong to the entries just scoped: the prefetch needs no scope of its own.
    postings = Prefetch("postings", queryset=LedgerPosting.objects.unscoped(reason="children of a row read in scope")
                        .select_related("account").order_by("id"))
    return qs.select_related("fund").prefetch_related(postings).order_by("-seq")


def disclosure_list(*, actor: Actor, fund: Fund | None = None) -> QuerySet[Disclosure]:
    qs = access.visible(Disclosure.objects.all(), actor)
    if fund is not None:
        qs = qs.filter(fund=fund)
    return qs.select_related("fund").order_by("-period_end", "kind")


# --- read by services under the fund lock, and by pages ---

def committed(fund_id: int, source: str) -> Any:
    """Approved, unpaid disbursements: money promised, not yet gone. Read under the lock."""
    return (Disbursement.objects.unscoped(reason="service: scope.require checked the actor").filter(fund_id=fund_id, source=source,
                                                   status__in=COMMITTED)
            .aggregate(total=Sum("amount"))["total"] or chain.ZERO)


def available(accounts: dict[str, LedgerAccount], fund_id: int, source: str) -> Any:
    return accounts[source].balance - committed(fund_id, source)


def committee_problems(fund: Fund, members: list[Any] | None = None) -> list[tuple[str, str]]:
    """What keeps a community fund's committee from meeting the local rules (zh, en)."""
    if fund.kind != FundKind.COMMUNITY:
        return []
    if members is None:
        members = list(CommitteeMember.objects.unscoped(reason="children of a row read in scope").filter(fund=fund, left_on=None))
    region = fund.region_path
    minimum = int(region_rules.value(rules.COMMITTEE_MIN_MEMBERS.key, region))
    odd = int(region_rules.value(rules.COMMITTEE_ODD.key, region))
    supervisors = int(region_rules.value(rules.COMMITTEE_MIN_SUPERVISORS.key, region))
    n = len(members)
    found = []
    if n < minimum:
        found.append((f"管委会至少需要 {minimum} 名成员(现有 {n} 名)",
                      f"The committee needs at least {minimum} members (it has {n})"))
    if odd and n % 2 == 0:
        found.append((f"管委会成员须为单数(现有 {n} 名)",
                      f"The committee must have an odd number of members (it has {n})"))
    n_sup = sum(1 for m in members if getattr(m, "role", None) == CommitteeRole.SUPERVISOR)
    if n_sup < supervisors:
        found.append((f"管委会至少需要 {supervisors} 名监督员(现有 {n_sup} 名)",
                      f"The committee needs at least {supervisors} supervisor(s) (it has {n_sup})"))
    return found
