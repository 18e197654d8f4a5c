"""The community complexes of the demo district (``wushe demo``): the seed text's brands
("小花市集", "共享奶奶", "社区合伙人") and a handful more, each run by a social or caring
enterprise with its 政务/商业/公益 service lines and quarterly revenue reports since 2023.

History is generated, not acted (like the charity step): complexes, lines and reports go in
with bulk writes; each approved report's reinvested share is posted to the community fund
through the charity app's ``donation_receive`` (receipt and ledger entry, as the service
``report_approve`` does). The last quarter's reports wait for the street's approval.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wushe.charity.models import Donor, Fund, FundKind, FundStatus
from wushe.charity.services import donation_receive
from wushe.complexes.models import (
    Complex,
    LineKind,
    OperatorKind,
    ReportStatus,
    RevenueReport,
    ServiceLine,
)
from wushe.complexes.shares import share_of
from wushe.core.ids import uscc_check_char
from wushe.demo.spec import COMPLEXES
from wushe.demo.steps import DemoContext, step
from wushe.regions.models import RegionKind, RegionLevel, Site, SiteKind

FIRST_YEAR = 2023
SHARE = Decimal("10")  # the local rule's default; two brands carry their own agreement

BRANDS = [
    ("小花市集", OperatorKind.SOCIAL_ENTERPRISE, "重庆小花市集社会企业有限公司", Decimal("15")),
    ("共享奶奶", OperatorKind.SOCIAL_ENTERPRISE, "重庆共享奶奶社区服务有限公司", None),
    ("社区合伙人", OperatorKind.CARING_ENTERPRISE, "重庆社区合伙人商业管理有限公司", Decimal("12")),
]
OTHER_OPERATORS = ["邻里汇", "社区微家", "幸福里", "乐享荟", "同心坊", "暖心驿"]

LINES = [
    (LineKind.GOVERNMENT, "无差别综合窗口", "社保、医保、民政、残联等事项一窗受理、一站办结",
     "周一至周五 9:00-12:00, 14:00-17:30"),
    (LineKind.COMMERCIAL, "社区便民服务", "社区食堂、家政、维修、便民零售,长效微利运转",
     "每天 7:00-20:00"),
    (LineKind.WELFARE, "公益服务空间", "一老一小关爱、邻里互助、志愿服务与社区议事",
     "每天 9:00-18:00"),
]


def _quarters(today: dt.date) -> list[tuple[int, int]]:
    """Closed quarters since FIRST_YEAR, oldest first."""
    last_q = (today.month - 1) // 3  # quarters closed this year
    out = []
    for y in range(FIRST_YEAR, today.year + 1):
        for q in range(1, 5):
            if y < today.year or q <= last_q:
                out.append((y, q))
    return out


def _credit_code(i: int) -> str:
    body = f"91500107WX{i:07d}"
    return body + uscc_check_char(body)


@step("complexes", order=55)
def build(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("complexes")
    n = COMPLEXES.get(ctx.profile.name, COMPLEXES["seed"])
    admin = ctx.user("district_admin")
    regions = list(ctx.regions.values())
    district = next(r for r in regions if r.level == RegionLevel.DISTRICT)
    communities = sorted((r for r in regions if r.level == RegionLevel.COMMUNITY
                          and r.kind == RegionKind.COMMUNITY), key=lambda r: r.code)
    sites = list(Site.objects.unscoped(reason="demo: builds the whole district").filter(kind=SiteKind.COMPLEX,
                                                region__level=RegionLevel.COMMUNITY)
                 .select_related("region").order_by("region_path", "id")[:n])
    taken = {s.region_id for s in sites}
    spare = [c for c in communities if c.pk not in taken]
    rng.shuffle(spare)
    new_sites = [Site(kind=SiteKind.COMPLEX, name=f"{c.name}综合体", region=c,
                      region_path=c.path, area_m2=rng.randrange(1000, 5000),
                      opened_on=dt.date(2022, rng.randrange(1, 13), 1))
                 for c in spare[:max(0, n - len(sites))]]
    Site.objects.bulk_create(new_sites)
    sites += new_sites
    funds = {f.region_id: f for f in Fund.objects.unscoped(reason="demo: builds the whole district").filter(
        kind=FundKind.COMMUNITY, status=FundStatus.ACTIVE, region_id__in=[s.region_id for s in sites])}

    donors, complexes = [], []
    for i, site in enumerate(sites):
        if i < len(BRANDS):
            brand, kind, operator, own_share = BRANDS[i]
        else:
            brand = rng.choice(OTHER_OPERATORS)
            kind = OperatorKind(rng.choice(OperatorKind.values))
            operator, own_share = f"重庆{site.region.name}{brand}企业管理有限公司", None
        donors.append(Donor(kind="enterprise", name=operator, credit_code=_credit_code(i + 1),
                            region=district, region_path=district.path,
                            note="社区综合体运营方"))
        complexes.append(Complex(site=site, community=site.region, region_path=site.region_path,
                                 brand=brand, operator_name=operator, operator_kind=kind,
                                 fund=funds.get(site.region_id), share_percent=own_share))
    Donor.objects.bulk_create(donors)
    for c, d in zip(complexes, donors, strict=True):
        c.operator_donor = d
    Complex.objects.bulk_create(complexes)
    ServiceLine.objects.bulk_create([
        ServiceLine(complex=c, region_path=c.region_path, kind=k, name=name, description=desc,
                    opening_hours=hours)
        for c in complexes for k, name, desc, hours in LINES])

    quarters = _quarters(timezone.localdate())
    reports: list[RevenueReport] = []
    for c in complexes:
        base = Decimal(rng.randrange(150_000, 600_000))
        for j, (y, q) in enumerate(quarters):
            revenue = (base * Decimal(1 + 0.03 * j) * Decimal(str(rng.uniform(0.85, 1.15)))
                       ).quantize(Decimal("0.01"))
            costs = (revenue * Decimal(str(rng.uniform(0.82, 1.04)))).quantize(Decimal("0.01"))
            last = j == len(quarters) - 1
            reports.append(RevenueReport(
                complex=c, region_path=c.region_path, year=y, quarter=q, revenue=revenue,
                costs=costs, profit=revenue - costs,
                status=ReportStatus.SUBMITTED if last else ReportStatus.APPROVED,
                submitted_by=admin))
    RevenueReport.objects.bulk_create(reports)

    by_pk = {c.pk: c for c in complexes}
    posted, reinvested = 0, Decimal("0")
    changed: list[RevenueReport] = []
    now = timezone.now()
    for r in reports:
        if r.status != ReportStatus.APPROVED:
            continue
        c = by_pk[r.complex_id]
        percent = c.share_percent if c.share_percent is not None else SHARE
        share = share_of(r.profit, percent)
        r.share_percent, r.reinvested, r.decided_by, r.decided_at = percent, share, admin, now
        if share > 0 and c.fund is not None and c.operator_donor is not None:
            r.donation = donation_receive(
                actor=admin, fund=c.fund, donor=c.operator_donor, kind="cash", amount=share,
                channel="bank", idempotency_key_value=f"complex-report-{r.pk}",
                received_on=dt.date(r.year, r.quarter * 3, 28),
                note=f"{c.site.name} {r} 收益反哺社区")
            posted += 1
            reinvested += share
        changed.append(r)
    RevenueReport.objects.bulk_update(changed, ["share_percent", "reinvested", "decided_by",
                                                "decided_at", "donation"])
    result: dict[str, Any] = {"complexes": len(complexes), "reports": len(reports),
                              "reinvestments": posted, "reinvested_yuan": int(reinvested)}
    return result
