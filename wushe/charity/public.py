"""What the public sees (no account): funds, their totals, disbursements and reports.

Nothing personal ever leaves through here: a person helped is shown as surname + 某 and
their community; individual donors are counted, never named; needs and projects by the
public label the service already screened for ID and phone numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from wushe.charity import figures
from wushe.charity.models import (
    BeneficiaryKind,
    Disbursement,
    DisbursementCategory,
    DisbursementStatus,
    Disclosure,
    Donation,
    DonationStatus,
    Donor,
    DonorKind,
    Fund,
    FundStatus,
)
from wushe.core.errors import NotFound

PUBLIC_STATUSES = (FundStatus.ACTIVE, FundStatus.SUSPENDED, FundStatus.CLOSED)
RECENT = 20


def public_beneficiary(d: Disbursement) -> str:
    if d.beneficiary_kind == BeneficiaryKind.PERSON:
        name = d.person.name if d.person is not None else ""
        return f"{name[:1]}某" if name else "受助群众"
    return d.beneficiary_label


@dataclass
class PublicDisbursement:
    paid_on: str
    fund: str
    amount: Decimal
    beneficiary: str
    community: str
    kind: str
    people: int


@dataclass
class PublicFund:
    id: int
    name: str
    kind: str
    kind_label: str
    status_label: str
    region: str
    parent_org: str
    purpose: str
    target_groups: list[str]
    raised: Decimal
    disbursed: Decimal
    management: Decimal
    balance: Decimal
    donations: int = 0
    beneficiaries: int = 0
    enterprise_donors: list[str] = field(default_factory=list)
    individual_donors: int = 0
    recent: list[PublicDisbursement] = field(default_factory=list)
    reports: list[Disclosure] = field(default_factory=list)


def _funds(fund_id: int | None = None) -> list[Fund]:
    qs = Fund.objects.unscoped(reason="public: only public rows, filtered here").filter(status__in=PUBLIC_STATUSES).select_related("region")
    if fund_id is not None:
        qs = qs.filter(pk=fund_id)
    return list(qs.order_by("kind", "region_path", "name"))


def _public(d: Disbursement) -> PublicDisbursement:
    return PublicDisbursement(
        paid_on=timezone.localtime(d.paid_at).date().isoformat() if d.paid_at else "",
        fund=d.fund.name, amount=d.amount, beneficiary=public_beneficiary(d),
        community=d.beneficiary_region.name if d.beneficiary_region else "",
        kind=str(d.get_beneficiary_kind_display()), people=d.beneficiary_count)


def _paid() -> Any:
    return (Disbursement.objects.unscoped(reason="public: only public rows, filtered here")
            .filter(status=DisbursementStatus.PAID, category=DisbursementCategory.CHARITABLE,
                    fund__status__in=PUBLIC_STATUSES)
            .select_related("fund", "person", "beneficiary_region"))


def _recent(fund_ids: list[int], limit: int) -> dict[int, list[PublicDisbursement]]:
    """The latest ``limit`` paid disbursements of each fund, in one query (a window)."""
    rank = Window(RowNumber(), partition_by=[F("fund_id")],
                  order_by=[F("paid_at").desc(), F("id").desc()])
    rows = (_paid().filter(fund_id__in=fund_ids).annotate(rank=rank).filter(rank__lte=limit)
            .order_by("fund_id", "rank"))
    out: dict[int, list[PublicDisbursement]] = {}
    for d in rows:
        out.setdefault(d.fund_id, []).append(_public(d))
    return out


def public_funds(*, fund_id: int | None = None, recent: int = 5) -> list[PublicFund]:
    funds = _funds(fund_id)
    if fund_id is not None and not funds:
        raise NotFound()
    ids = [f.pk for f in funds]
    money = figures.totals(ids)
    donations = dict(Donation.objects.unscoped(reason="public: only public rows, filtered here").filter(
        fund_id__in=ids, status=DonationStatus.RECEIVED).values_list("fund_id").annotate(
        n=Count("pk")).values_list("fund_id", "n"))
    people = dict(Disbursement.objects.unscoped(reason="public: only public rows, filtered here").filter(
        fund_id__in=ids, status=DisbursementStatus.PAID,
        category=DisbursementCategory.CHARITABLE).values_list("fund_id").annotate(
        n=Sum("beneficiary_count")).values_list("fund_id", "n"))
    latest = _recent(ids, recent) if recent else {}
    out = []
    for f in funds:
        t = money.get(f.pk, figures.Totals())
        out.append(PublicFund(
            id=f.pk, name=f.name, kind=f.kind, kind_label=str(f.get_kind_display()),
            status_label=str(f.get_status_display()), region=f.region.name,
            parent_org=f.parent_org_name, purpose=f.purpose,
            target_groups=f.target_group_labels, raised=t.raised, disbursed=t.charitable,
            management=t.management, balance=t.balance, donations=donations.get(f.pk, 0),
            beneficiaries=people.get(f.pk, 0) or 0, recent=latest.get(f.pk, [])))
    return out


def public_fund(*, fund_id: Any) -> PublicFund:
    try:
        fid = int(fund_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    fund = public_funds(fund_id=fid, recent=50)[0]
    donors = Donor.objects.unscoped(reason="public: only public rows, filtered here").filter(
        donations__fund_id=fid, donations__status=DonationStatus.RECEIVED).distinct()
    fund.enterprise_donors = sorted(set(
        donors.filter(kind=DonorKind.ENTERPRISE, anonymous=False).values_list("name", flat=True)))
    fund.individual_donors = donors.filter(Q(kind=DonorKind.PERSON) | Q(anonymous=True)).count()
    fund.reports = list(Disclosure.objects.unscoped(reason="public: only public rows, filtered here").filter(fund_id=fid)
                        .order_by("-period_end", "kind"))
    return fund


def public_overview() -> dict[str, Any]:
    funds = public_funds(recent=0)
    return {
        "funds": funds,
        "community_count": sum(1 for f in funds if f.kind == "community"),
        "raised": sum((f.raised for f in funds), Decimal(0)),
        "disbursed": sum((f.disbursed for f in funds), Decimal(0)),
        "beneficiaries": sum(f.beneficiaries for f in funds),
        "recent": [_public(d) for d in _paid().order_by("-paid_at", "-id")[:RECENT]],
        "reports": list(Disclosure.objects.unscoped(reason="public: only public rows, filtered here").select_related("fund")
                        .filter(fund__status__in=PUBLIC_STATUSES)
                        .order_by("-published_at")[:RECENT]),
    }
