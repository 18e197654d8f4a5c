"""Demo service projects (after the orgs and needs steps).

small — a dozen projects in 杨家坪 in every status, among them an in-service project in 杨家坪街道
        delivered by the org_staff account's organisation (the evaluation app's browser test
        scores it);
seed  — the seed's magnitudes: about 568 projects designed since 2013, about 370 purchased
        (listed in yearly purchase lists and contracted; most closed, the recent ones in
        service), about 50 million yuan contracted and 5.2 million yuan leveraged;
city  — ten times seed.

Everything is bulk-inserted with its full history (events, procurement, contract, tranches,
payments), so the lifecycle looks as if it had been walked through the services.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone

from wushe.core.scoping import scopes_disabled
from wushe.demo.spec import ACCOUNT_STREET
from wushe.demo.steps import DemoContext, step
from wushe.projects import terms
from wushe.projects.models import (
    Contract,
    ContractTranche,
    Domain,
    ListStatus,
    Method,
    Outcome,
    Payment,
    Procurement,
    ProjectEvent,
    ProjectIndicator,
    ProjectNeed,
    PurchaseList,
    ServiceProject,
    Status,
)
from wushe.projects.workflow import PURCHASED
from wushe.regions.models import Region, RegionLevel

S = Status
ORDER: list[str] = [S.DESIGNED, S.LISTED, S.PROCURED, S.CONTRACTED, S.IN_SERVICE, S.MIDTERM_EVALUATED,
         S.FINAL_EVALUATED, S.CLOSED]
FIRST_YEAR = 2013
# (designed, purchased, contracted yuan, leveraged yuan) per profile.
PLANS = {"seed": (568, 370, Decimal(50_000_000), Decimal(5_200_000)),
         "city": (5680, 3700, Decimal(500_000_000), Decimal(52_000_000))}
RENEWED = {"small": 1, "seed": 12, "city": 120}
# How much of its indicators' targets a project has achieved, by status.
SHARE_ACHIEVED: dict[str, float] = {S.CLOSED: 1.05, S.FINAL_EVALUATED: 1.0,
                                    S.MIDTERM_EVALUATED: 0.55, S.IN_SERVICE: 0.25}
# Tranches paid so far, by status (30/40/30: signing, after mid-term, after final).
PAID_UPTO: dict[str, int] = {S.CONTRACTED: 1, S.IN_SERVICE: 1, S.MIDTERM_EVALUATED: 2,
                             S.FINAL_EVALUATED: 3, S.CLOSED: 3}

DOMAIN_WEIGHTS = [(Domain.ELDERLY_SERVICES, 28), (Domain.MINOR_PROTECTION, 24),
                  (Domain.COMMUNITY_GOVERNANCE, 20), (Domain.SOCIAL_ASSISTANCE, 10),
                  (Domain.DISABILITY, 7), (Domain.FAMILY, 8), (Domain.OTHER, 3)]
TITLES: dict[str, tuple[str, ...]] = {
    Domain.ELDERLY_SERVICES: ("“时间银行”互助养老", "高龄独居老人关爱", "社区嵌入式养老", "老年助餐助浴"),
    Domain.MINOR_PROTECTION: ("“护苗”未成年人保护", "留守儿童成长陪伴", "四点半课堂", "困境儿童关爱"),
    Domain.COMMUNITY_GOVERNANCE: ("“院坝会”居民议事", "楼栋自治能力提升", "社区营造", "五社联动治理"),
    Domain.SOCIAL_ASSISTANCE: ("困难群众救助帮扶", "“物质+服务”救助", "低保边缘家庭支持"),
    Domain.DISABILITY: ("残疾人康复融合", "助残就业支持"),
    Domain.FAMILY: ("家庭教育支持", "婚姻家庭调适", "“和美家庭”建设"),
    Domain.OTHER: ("社区志愿服务孵化", "新就业群体关爱"),
}
GROUPS: dict[str, str] = {
    Domain.ELDERLY_SERVICES: "|elderly|", Domain.MINOR_PROTECTION: "|minor|",
    Domain.COMMUNITY_GOVERNANCE: "|general|", Domain.SOCIAL_ASSISTANCE: "|hardship|",
    Domain.DISABILITY: "|disabled|", Domain.FAMILY: "|minor|family|", Domain.OTHER: "|general|",
}
INDICATORS = [("服务人次", "人次", 1200), ("开展小组活动", "次", 24), ("个案服务", "个", 30),
              ("培育志愿者", "名", 40), ("社区活动", "场", 12)]
METHODS = [(Method.PUBLIC_TENDER, 35), (Method.COMPETITIVE_CONSULTATION, 35),
           (Method.COMPETITIVE_NEGOTIATION, 20), (Method.SINGLE_SOURCE, 10)]


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


@dataclass
class Plan:
    region: Region
    year: int
    status: str
    domain: str
    budget: Decimal
    amount: Decimal = Decimal(0)
    leveraged: Decimal = Decimal(0)
    provider_id: int | None = None
    outcome: str = ""
    contract_start: dt.date | None = None


def _timeline(plan: Plan, today: dt.date) -> list[tuple[str, dt.date]]:
    """The dates each status was reached, ending at the plan's status."""
    y = plan.year
    start = plan.contract_start or dt.date(y, 3, 1)
    steps = [(S.DESIGNED, dt.date(y - 1, 11, 10)), (S.LISTED, dt.date(y, 1, 15)),
             (S.PROCURED, start - dt.timedelta(days=20)), (S.CONTRACTED, start - dt.timedelta(days=5)),
             (S.IN_SERVICE, start), (S.MIDTERM_EVALUATED, start + dt.timedelta(days=185)),
             (S.FINAL_EVALUATED, start + dt.timedelta(days=350)),
             (S.CLOSED, start + dt.timedelta(days=370))]
    out = steps[:ORDER.index(plan.status) + 1]
    return [(s, min(d, today)) for s, d in out]


def _status_for(year: int, today: dt.date, rng: random.Random) -> str:
    """A purchased project's status from how long ago its year was."""
    age = today.year - year
    if age >= 2:
        return S.CLOSED
    if age == 1:
        return S.CLOSED if today.month > 4 else S.FINAL_EVALUATED
    return S.MIDTERM_EVALUATED if today.month >= 10 else S.IN_SERVICE


def _regions(ctx: DemoContext, small: bool) -> tuple[Region, Region, list[Region], list[Region]]:
    regions = list(ctx.regions.values())
    district = next(r for r in regions if r.level == RegionLevel.DISTRICT)
    home = next(r for r in regions if r.level == RegionLevel.STREET and r.name == ACCOUNT_STREET)
    streets = [r for r in regions if r.level == RegionLevel.STREET]
    communities = [r for r in regions if r.level == RegionLevel.COMMUNITY]
    if small:
        streets = [home]
        communities = [c for c in communities if c.path.startswith(home.path)]
    return district, home, streets, communities


def _providers(ctx: DemoContext) -> list[int]:
    from wushe.orgs.models import OrgStatus, SocialOrganization

    return list(SocialOrganization.objects.unscoped(reason="demo: builds the whole district")
                .filter(status__in=(OrgStatus.REGISTERED, OrgStatus.FILED))
                .order_by("id").values_list("id", flat=True)[:400])


def _provider_names(ids: set[int]) -> dict[int, str]:
    from wushe.orgs.models import SocialOrganization

    return dict(SocialOrganization.objects.unscoped(reason="demo: builds the whole district").filter(pk__in=ids)
                .values_list("pk", "name"))


def _small_plans(ctx: DemoContext, rng: random.Random, today: dt.date) -> list[Plan]:
    district, home, _streets, communities = _regions(ctx, True)
    showcase = int(ctx.shared.get("orgs", {}).get("showcase") or _providers(ctx)[0])
    others = [p for p in _providers(ctx) if p != showcase] or [showcase]
    y = today.year
    place = communities[:2] or [home]
    started = today - dt.timedelta(days=60)
    specs: list[tuple[Region, int, str, str, int | None, dt.date | None]] = [
        # The evaluation engineer's browser test scores this one: in service in 杨家坪街道,
        # delivered by the org_staff account's organisation.
        (home, y, S.IN_SERVICE, Domain.ELDERLY_SERVICES, showcase, started),
        (place[0], y, S.IN_SERVICE, Domain.MINOR_PROTECTION, others[0], started),
        (place[-1], y, S.IN_SERVICE, Domain.COMMUNITY_GOVERNANCE, showcase, started),
        (home, y, S.MIDTERM_EVALUATED, Domain.FAMILY, others[-1], today - dt.timedelta(days=200)),
        (home, y - 1, S.FINAL_EVALUATED, Domain.SOCIAL_ASSISTANCE, showcase, None),
        (place[0], y - 2, S.CLOSED, Domain.ELDERLY_SERVICES, showcase, None),
        (home, y - 2, S.CLOSED, Domain.DISABILITY, others[0], None),
        (home, y, S.CONTRACTED, Domain.FAMILY, others[0], today + dt.timedelta(days=10)),
        (place[-1], y + 1, S.PROCURED, Domain.ELDERLY_SERVICES, showcase, None),
        (home, y + 1, S.LISTED, Domain.MINOR_PROTECTION, None, None),
        (place[0], y + 1, S.DESIGNED, Domain.COMMUNITY_GOVERNANCE, None, None),
        (home, y + 1, S.DESIGNED, Domain.OTHER, None, None),
    ]
    plans = []
    for region, year, status, domain, provider, start in specs:
        budget = Decimal(rng.randrange(80, 200) * 1000)
        plans.append(Plan(region, year, status, domain, budget, provider_id=provider,
                          contract_start=start,
                          amount=budget - Decimal(rng.randrange(0, 10) * 1000),
                          leveraged=Decimal(rng.randrange(5, 30) * 1000)
                          if status in PURCHASED else Decimal(0)))
    plans[5].outcome = Outcome.RENEWED
    plans[6].outcome = Outcome.NOT_RENEWED
    return plans


def _seed_plans(ctx: DemoContext, rng: random.Random, today: dt.date) -> list[Plan]:
    designed, purchased, total_amount, total_leveraged = PLANS[ctx.profile.name]
    _district, _home, streets, communities = _regions(ctx, False)
    providers = _providers(ctx)
    years = list(range(FIRST_YEAR, today.year + 1))
    # More projects in later years (the purchase grew): weight by position.
    year_weights = [1 + i for i in range(len(years))]
    bought_years = rng.choices(years, year_weights, k=purchased)
    mean_amount = total_amount / purchased
    mean_lev = total_leveraged / purchased
    plans: list[Plan] = []
    for year in bought_years:
        region = rng.choice(streets) if rng.random() < 0.6 else rng.choice(communities)
        amount = (mean_amount * Decimal(rng.uniform(0.5, 1.5))).quantize(Decimal(1000))
        plans.append(Plan(region, year, _status_for(year, today, rng), _pick(rng, DOMAIN_WEIGHTS),
                          budget=amount + Decimal(rng.randrange(0, 6) * 1000), amount=amount,
                          leveraged=(mean_lev * Decimal(rng.uniform(0.3, 1.7))).quantize(
                              Decimal(100)), provider_id=rng.choice(providers)))
    for _ in range(designed - purchased):
        # Designed but never bought (over budget, merged into others) or this year's pipeline.
        year = rng.choices(years + [today.year + 1], year_weights + [len(years) * 3])[0]
        status = (_pick(rng, [(S.DESIGNED, 50), (S.LISTED, 30), (S.PROCURED, 20)])
                  if year > today.year else S.DESIGNED)
        region = rng.choice(streets) if rng.random() < 0.6 else rng.choice(communities)
        plans.append(Plan(region, year, status, _pick(rng, DOMAIN_WEIGHTS),
                          budget=(mean_amount * Decimal(rng.uniform(0.5, 1.5))).quantize(
                              Decimal(1000)),
                          provider_id=rng.choice(providers) if status == S.PROCURED else None))
    # Scale so the contracted total is exactly the plan's (the seed's 50 million).
    got = sum((p.amount for p in plans if p.status in PURCHASED), Decimal(0))
    factor = total_amount / got if got else Decimal(1)
    for p in plans:
        if p.status in PURCHASED:
            p.amount = (p.amount * factor).quantize(Decimal("0.01"))
            p.budget = max(p.budget, p.amount)
    drift = total_amount - sum((p.amount for p in plans if p.status in PURCHASED), Decimal(0))
    first = next(p for p in plans if p.status in PURCHASED)
    first.amount += drift
    first.budget = max(first.budget, first.amount)
    # The same for the resources leveraged (the seed's 520万): only purchased projects count,
    # and the years' random draws are scaled so they add up to the plan's total.
    lev = sum((p.leveraged for p in plans if p.status in PURCHASED), Decimal(0))
    lev_factor = total_leveraged / lev if lev else Decimal(1)
    for p in plans:
        p.leveraged = ((p.leveraged * lev_factor).quantize(Decimal(100))
                       if p.status in PURCHASED else Decimal(0))
    first.leveraged += total_leveraged - sum(
        (p.leveraged for p in plans if p.status in PURCHASED), Decimal(0))
    closed = [p for p in plans if p.status == S.CLOSED]
    for i, p in enumerate(closed):
        p.outcome = Outcome.RENEWED if i < RENEWED[ctx.profile.name] else Outcome.NOT_RENEWED
    return plans


@step("projects", order=60)
def build_projects(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("projects")
    today = timezone.localdate()
    with scopes_disabled():
        plans = (_small_plans(ctx, rng, today) if ctx.profile.name == "small"
                 else _seed_plans(ctx, rng, today))
        return _write(ctx, rng, plans, today)


def _write(ctx: DemoContext, rng: random.Random, plans: list[Plan],
           today: dt.date) -> dict[str, int]:
    district = next(r for r in ctx.regions.values() if r.level == RegionLevel.DISTRICT)
    admin = ctx.user("district_admin")
    lists: dict[int, PurchaseList] = {}
    for year in sorted({p.year for p in plans if p.status != S.DESIGNED}):
        published = year <= today.year
        lists[year] = PurchaseList(
            region=district, region_path=district.path, year=year,
            name=f"{year}年度政府购买社会工作服务项目(第一批)",
            status=ListStatus.PUBLISHED if published else ListStatus.DRAFT,
            published_at=timezone.make_aware(dt.datetime(year, 1, 20, 9)) if published else None,
            created_by=admin)
    PurchaseList.objects.bulk_create(list(lists.values()))
    serial: dict[int, int] = {}
    projects = []
    for p in plans:
        serial[p.year] = serial.get(p.year, 0) + 1
        title = rng.choice(TITLES[p.domain])
        projects.append(ServiceProject(
            code=f"XM{p.year}-{serial[p.year]:05d}", name=f"{p.region.name}{title}项目",
            domain=p.domain, region=p.region, region_path=p.region.path, year=p.year,
            target_groups=GROUPS[p.domain], summary=f"针对{p.region.name}{title}需求设计的社会工作服务项目。",
            budget=p.budget, leveraged=p.leveraged, status=p.status, outcome=p.outcome,
            provider_id=p.provider_id if p.status not in (S.DESIGNED, S.LISTED) else None,
            purchase_list=lists.get(p.year) if p.status != S.DESIGNED else None,
            designed_by=admin))
    projects = ServiceProject.objects.bulk_create(projects, batch_size=1000)
    events, indicators, procs, contracts = [], [], [], []
    names = _provider_names({p.provider_id for p in plans if p.provider_id})
    for p, proj in zip(plans, projects, strict=True):
        last: str = S.DESIGNED
        for status, day in _timeline(p, today):
            at = timezone.make_aware(dt.datetime.combine(day, dt.time(10)))
            events.append(ProjectEvent(project=proj, region_path=proj.region_path,
                                       from_status="" if status == S.DESIGNED else last,
                                       to_status=status, actor=admin, actor_name=admin.username,
                                       at=at))
            last = status
        for name, unit, target in rng.sample(INDICATORS, 2):
            share = SHARE_ACHIEVED.get(p.status, 0.0)
            indicators.append(ProjectIndicator(
                project=proj, region_path=proj.region_path, name=name, unit=unit,
                target=Decimal(target), achieved=Decimal(int(target * share))))
        if p.status in (S.PROCURED, *PURCHASED):
            method = _pick(rng, METHODS)
            timeline = dict(_timeline(p, today))
            procs.append(Procurement(
                project=proj, region_path=proj.region_path, method=method,
                candidates=[{"id": p.provider_id, "name": names.get(cast(int, p.provider_id), "")}],
                selected_id=cast(int, p.provider_id),
                reason="综合评分第一" if method != Method.SINGLE_SOURCE else "原承接方续签",
                decided_on=timeline[S.PROCURED], recorded_by=admin))
        if p.status in PURCHASED:
            start = p.contract_start or dt.date(p.year, 3, 1)
            contracts.append(Contract(
                project=proj, region_path=proj.region_path, provider_id=cast(int, p.provider_id),
                amount=p.amount, start=start, end=terms.max_end(start, 12),
                signed_on=start - dt.timedelta(days=5), signed_by=admin))
    ProjectEvent.objects.bulk_create(events, batch_size=2000)
    ProjectIndicator.objects.bulk_create(indicators, batch_size=2000)
    Procurement.objects.bulk_create(procs, batch_size=1000)
    contracts = Contract.objects.bulk_create(contracts, batch_size=1000)
    tranches, payments = _tranches(contracts, {pr.pk: p for p, pr in zip(plans, projects,
                                                                          strict=True)},
                                   admin, today)
    links = _needs(rng, projects)
    _renewals(projects)
    # For the later steps (supervision, evaluation): every project, small dicts.
    ctx.shared["projects"] = [
        {"id": pr.pk, "status": pr.status, "provider_id": pr.provider_id, "year": pr.year,
         "region_path": pr.region_path, "budget": str(pr.budget)}
        for pr in projects]
    return {"projects": len(projects), "purchase_lists": len(lists), "events": len(events),
            "contracts": len(contracts), "tranches": tranches, "payments": payments,
            "origin_needs": links}


def _tranches(contracts: list[Contract], plans: dict[int, Plan], admin: Any,
              today: dt.date) -> tuple[int, int]:
    rule = [terms.TrancheRule(Decimal(30), ""), terms.TrancheRule(Decimal(40), "midterm"),
            terms.TrancheRule(Decimal(30), "final")]
    rows: list[ContractTranche] = []
    for c in contracts:
        plan = plans[c.project_id]
        n = PAID_UPTO[plan.status]
        for i, (r, amount) in enumerate(zip(rule, terms.split(c.amount, rule), strict=True)):
            rows.append(ContractTranche(contract=c, region_path=c.region_path, seq=i + 1,
                                        percent=r.percent, amount=amount, gate=r.gate,
                                        paid=amount if i < n else Decimal(0)))
    rows = ContractTranche.objects.bulk_create(rows, batch_size=2000)
    payments = []
    for t in rows:
        if t.paid:
            c = t.contract
            day = min(today, c.signed_on + dt.timedelta(days={1: 10, 2: 200, 3: 380}[t.seq]))
            payments.append(Payment(tranche=t, project_id=c.project_id, region_path=t.region_path,
                                    amount=t.paid, paid_on=day,
                                    reference=f"ZF{c.project_id:06d}{t.seq}", paid_by=admin))
    Payment.objects.bulk_create(payments, batch_size=2000)
    return len(rows), len(payments)


def _needs(rng: random.Random, projects: list[ServiceProject]) -> int:
    """Link each project to a few needs of its area (the demand menu it came from)."""
    from wushe.needs.models import Need

    pool: dict[str, list[int]] = {}
    for pk, path in (Need.objects.unscoped(reason="demo: builds the whole district").exclude(state="merged")
                     .order_by("-id").values_list("id", "region_path")[:50_000]):
        pool.setdefault(path[:9], []).append(pk)
    links = []
    for pr in projects:
        ids = pool.get(pr.region_path[:9], [])
        for need_id in rng.sample(ids, min(len(ids), rng.randint(2, 5))):
            links.append(ProjectNeed(project=pr, need_id=need_id, region_path=pr.region_path))
    ProjectNeed.objects.bulk_create(links, batch_size=2000)
    return len(links)


def _renewals(projects: list[ServiceProject]) -> None:
    """A renewed project's successor: the next year's project of the same region and domain."""
    by_key: dict[tuple[str, str, int], ServiceProject] = {}
    for pr in projects:
        by_key.setdefault((pr.region_path, pr.domain, pr.year), pr)
    changed = []
    for pr in projects:
        if pr.outcome == Outcome.RENEWED:
            nxt = by_key.get((pr.region_path, pr.domain, pr.year + 1))
            if nxt is not None and nxt.renewed_from_id is None and nxt is not pr:
                nxt.renewed_from = pr
                changed.append(nxt)
    ServiceProject.objects.unscoped(reason="demo: builds the whole district").bulk_update(changed, ["renewed_from"], batch_size=1000)
