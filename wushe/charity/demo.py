"""The charity part of the demo district (``wushe demo``): funds, donors, donations with
receipts, disbursements and their hash-chained ledger, at the seed text's magnitudes.

History since 2020 is generated, not acted: rows go in with bulk writes outside scope (like
the foundation's persons) and the ledger through ``chain.append_many``, which computes the
same hashes the services do. What a visitor should find waiting (requests to approve, a
payment to record, published reports) is then made through the services.
Dates run up to yesterday, so the same seed on the same day gives the same district.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wushe.charity import demo_data
from wushe.charity.demo_history import (
    Event,
    donation_events,
    feasible,
    goods_handed_out,
    income_by_year,
    spending_events,
    write_history,
)
from wushe.charity.demo_people import beneficiaries, committee_rows, donor_rows
from wushe.charity.models import (
    AccountCode,
    CommitteeMember,
    Donor,
    Fund,
    FundKind,
    FundStatus,
    LedgerAccount,
)
from wushe.demo.build import refresh_planner_stats
from wushe.demo.spec import COMPLEXES
from wushe.demo.steps import DemoContext, step
from wushe.regions.models import RegionLevel

# Donations generated per profile (district funds, community funds); persons helped by the
# special funds keep the seed's counts at every size (300+, 200+, 100+).
SIZES = {"small": (600, 300, 0.2), "seed": (6000, 3000, 1.0), "city": (6000, 3000, 1.0)}


def _funds(ctx: DemoContext, rng: random.Random) -> tuple[list[Fund], list[Fund]]:
    regions = list(ctx.regions.values())
    district = next(r for r in regions if r.level == RegionLevel.DISTRICT)
    streets = {r.pk: r for r in regions if r.level == RegionLevel.STREET}
    special = [Fund(name=s.name, kind=s.kind, status=FundStatus.ACTIVE, region=district,
                    region_path=district.path, parent_org_name=demo_data.PARENT_ORG,
                    purpose=s.purpose, target_groups=list(s.groups),
                    need_categories=list(s.categories), cap_per_case=s.cap,
                    second_approval_above=demo_data.DISTRICT_SECOND_APPROVAL,
                    established_on=demo_data.START_DISTRICT + dt.timedelta(days=i * 20))
               for i, s in enumerate(demo_data.FUNDS)]
    community = []
    for r in sorted(regions, key=lambda r: r.code):
        if r.level not in (RegionLevel.STREET, RegionLevel.COMMUNITY):
            continue
        street = r if r.level == RegionLevel.STREET else streets[r.parent_id]  # type: ignore[index]
        community.append(Fund(
            name=f"{r.name}阳光基金", kind=FundKind.COMMUNITY, status=FundStatus.ACTIVE,
            region=r, region_path=r.path, parent_org_name=f"{street.name}慈善公益服务中心",
            purpose="汇聚辖区爱心企业和爱心人士的力量,支持社区治理、邻里互助和一老一小一困关爱服务。",
            target_groups=["elderly", "minor", "hardship"],
            need_categories=["社区治理", "邻里互助", "助老服务", "困境儿童关爱"],
            second_approval_above=demo_data.COMMUNITY_SECOND_APPROVAL,
            established_on=demo_data.START_COMMUNITY + dt.timedelta(days=rng.randrange(150))))
    Fund.objects.bulk_create(special + community, batch_size=500)
    LedgerAccount.objects.bulk_create([
        LedgerAccount(fund=f, code=code, region_path=f.region_path)
        for f in special + community for code in AccountCode.values], batch_size=2000)
    CommitteeMember.objects.bulk_create(committee_rows(community, rng), batch_size=2000)
    return special, community


def _live(ctx: DemoContext, special: list[Fund], community: list[Fund], end: dt.date) -> int:
    """What a visitor finds waiting, made through the services: requests to approve, one
    approved payment to record, published reports of the closed periods."""
    from wushe.charity import figures, services
    from wushe.charity.models import DisclosureKind

    admin, street_staff = ctx.user("district_admin"), ctx.user("street_staff")
    cash = {f_id: t.cash for f_id, t in figures.totals([f.pk for f in special + community]).items()}

    def afford(fund: Fund, amount: int) -> Decimal:
        """No more than a third of what the fund holds: the demo never overdraws."""
        return min(Decimal(amount), (cash.get(fund.pk, Decimal(0)) / 3).quantize(Decimal(1)))

    relief, children = special[0], special[1]
    asks = [(admin, relief, 3000, "突发重病住院,医保报销后自付部分困难", "大病患者临时救助", 1),
            (admin, children, 1200, "困境儿童秋季开学慰问", "困境儿童开学慰问", 8)]
    home = next((f for f in community if f.region_path == _home_path(street_staff)), None)
    if home is not None:
        asks.append((street_staff, home, 800, "楼栋邻里互助活动物资", "邻里互助活动", 60))
    asks.append((admin, relief, 2000, "火灾受灾家庭临时安置", "受灾家庭临时安置", 3))
    made = []
    for actor, fund, amount, purpose, label, count in asks:
        value = afford(fund, amount)
        if value > 0:
            made.append(services.disbursement_request(
                actor=actor, fund=fund, amount=value, purpose=purpose, beneficiary_kind="project",
                beneficiary_label=label, beneficiary_count=count))
    if made and made[-1].fund_id == relief.pk:  # one approved, waiting for its payment
        services.disbursement_approve(actor=ctx.user("fund_manager"), disbursement=made[-1],
                                      comment="情况属实,同意")
    published = 0
    for fund in special:
        start, _end = figures.last_closed_period(figures.period_months(fund), end)
        services.disclosure_publish(actor=admin, fund=fund, kind=DisclosureKind.PERIODIC,
                                    period_start=start)
        years = range(max(demo_data.START_DISTRICT.year, end.year - (1 if ctx.profile.name ==
                                                                     "small" else 5)), end.year)
        for year in years:
            services.disclosure_publish(actor=admin, fund=fund, kind=DisclosureKind.ANNUAL,
                                        period_start=dt.date(year, 1, 1))
        published += 1 + len(years)
    return len(made) + published


def _home_path(user: Any) -> str:
    grant = user.grants.order_by("region_path").first()
    return grant.region_path if grant is not None else "#"


@step("charity", order=50)
def build(ctx: DemoContext) -> dict[str, int]:
    from wushe.accounts.services import grant_add

    rng = ctx.rng("charity")
    n_district, n_community, services_share = SIZES[ctx.profile.name]
    end = timezone.localdate() - dt.timedelta(days=1)
    regions = list(ctx.regions.values())
    district = next(r for r in regions if r.level == RegionLevel.DISTRICT)
    communities = [r for r in regions if r.level == RegionLevel.COMMUNITY]
    special, community = _funds(ctx, rng)
    # "已汇聚爱心企业资源85个" counts every enterprise that gave, and the operators of the
    # community complexes (their step comes later) give a share of their profit to the
    # community funds: the charity's own enterprise donors are the rest of the 85.
    operators = COMPLEXES.get(ctx.profile.name, COMPLEXES["seed"])
    enterprises = max(demo_data.ENTERPRISES - operators, demo_data.ENTERPRISES // 2)
    donors = donor_rows(rng, district, communities, enterprises, demo_data.INDIVIDUALS)
    Donor.objects.bulk_create(donors, batch_size=1000)

    events = donation_events(rng, special, [s.share for s in demo_data.FUNDS], donors, n_district,
                        demo_data.RAISED_DISTRICT, demo_data.START_DISTRICT, end)
    events += donation_events(rng, community, [1.0] * len(community), donors, n_community,
                         demo_data.RAISED_COMMUNITY, demo_data.START_COMMUNITY, end)
    income = income_by_year(events)
    spending: list[Event] = []
    for fund, spec in zip(special, demo_data.FUNDS, strict=True):
        persons = beneficiaries(rng, spec.persons[0], minors=spec.persons[3]) \
            if spec.persons else []
        spending += spending_events(rng, fund, spec, income, demo_data.START_DISTRICT, end,
                                   persons, 0, 0)
    services = round(demo_data.COMMUNITY_SERVICES * services_share)
    people = round(demo_data.COMMUNITY_BENEFICIARIES * services_share)
    for fund in community:
        spending += spending_events(rng, fund, None, income, demo_data.START_COMMUNITY, end, [],
                                   max(1, services // len(community)),
                                   people // max(1, services))
    events = feasible(events + spending + goods_handed_out(rng, events, end))

    admin, manager = ctx.user("district_admin"), ctx.user("fund_manager")
    street_staff = ctx.user("street_staff")
    street_path = _home_path(street_staff)
    requester = {f.pk: street_staff if f.region_path.startswith(street_path) else admin
                 for f in special + community}
    counts = write_history(events, requester, manager)
    # The district charity association (区慈善会) is trustee of every fund here, the
    # community funds included: its manager co-signs their spending.
    for fund in special + community:
        grant_add(actor=None, user=manager, role="fund_manager", region=district, fund=fund)
    refresh_planner_stats()  # the live part queries the ledger just written
    counts["live"] = _live(ctx, special, community, end)
    ctx.shared["charity"] = {"funds": {f.name: f.pk for f in special},
                             "community_funds": {f.region_id: f.pk for f in community}}
    return {"funds": len(special) + len(community), "donors": len(donors), **counts}
