"""``wushe stats`` figures of charity resources for a region's subtree.

Money is reported in yuan as JSON numbers (two decimals); funds count once they are set up
(every status but "being set up"); donors count when they have a standing donation to a fund
of the subtree; beneficiaries are distinct persons helped plus the people counted by need and
project disbursements.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from wushe.accounts.scope import subtree_q
from wushe.charity.coverage import has_community_fund
from wushe.charity.models import (
    BeneficiaryKind,
    Disbursement,
    DisbursementCategory,
    DisbursementStatus,
    Donation,
    DonationStatus,
    DonorKind,
    Fund,
    FundKind,
    FundStatus,
)
from wushe.core.figures import stats_block
from wushe.regions.models import Region, RegionLevel


def _yuan(value: Decimal | None) -> float:
    return float((value or Decimal(0)).quantize(Decimal("0.01")))


@stats_block("charity")
def charity_figures(path: str) -> dict[str, Any]:
    funds = (Fund.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path))
             .exclude(status=FundStatus.DRAFT)
             .aggregate(special=Count("pk", filter=Q(kind=FundKind.SPECIAL)),
                        community=Count("pk", filter=Q(kind=FundKind.COMMUNITY)),
                        project=Count("pk", filter=Q(kind=FundKind.PROJECT))))
    donations = Donation.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path),
                                                  status=DonationStatus.RECEIVED)
    raised = donations.aggregate(total=Sum("amount"))["total"]
    donors = donations.values("donor__kind").annotate(n=Count("donor_id", distinct=True))
    by_kind = {row["donor__kind"]: row["n"] for row in donors}
    paid = Disbursement.objects.unscoped(reason="kpi: filtered by the region path").filter(
        subtree_q("region_path", path), status=DisbursementStatus.PAID,
        category=DisbursementCategory.CHARITABLE)
    agg = paid.aggregate(
        total=Sum("amount"),
        persons=Count("person_id", distinct=True,
                      filter=Q(beneficiary_kind=BeneficiaryKind.PERSON)),
        others=Sum("beneficiary_count", filter=~Q(beneficiary_kind=BeneficiaryKind.PERSON)))
    regions = Region.objects.unscoped(reason="kpi: filtered by the region path").filter(
        subtree_q("path", path), level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY))
    total = regions.count()
    covered = regions.filter(has_community_fund()).count()
    return {
        "charity.funds.special": funds["special"],
        "charity.funds.community": funds["community"],
        "charity.funds.project": funds["project"],
        "charity.raised_yuan": _yuan(raised),
        "charity.disbursed_yuan": _yuan(agg["total"]),
        "charity.beneficiaries": (agg["persons"] or 0) + (agg["others"] or 0),
        "charity.donors.enterprise": by_kind.get(DonorKind.ENTERPRISE, 0),
        "charity.donors.person": by_kind.get(DonorKind.PERSON, 0),
        "charity.community_fund_coverage": round(covered / total, 4) if total else 0.0,
    }
