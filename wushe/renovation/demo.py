"""Demo step: the "强基赋能" three-year programme of the seed text — 20 村(社区)党群服务中心
renovated and accepted, 2300余万元 (23,000,000–23,999,999 yuan) spent, spread over the
streets (small: 4 centres and a fifth of the money; city: ten times, as far as centres go)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from decimal import Decimal

from wushe.demo.dates import build_day
from wushe.demo.steps import DemoContext, step
from wushe.regions.models import RegionLevel, Site, SiteKind
from wushe.renovation.models import (
    DocumentKind,
    Programme,
    Progress,
    Renovation,
    RenovationDocument,
    Spending,
    Transition,
)

# "维修改建村(社区)党群服务中心20个" and "计划投入资金2300余万元" (seed text, 2024).
CENTRES = {"small": 4, "seed": 20, "city": 200}
SEED_SPENT = (Decimal("23100000"), Decimal("23800000"))
SEED_TOTAL_BUDGET = Decimal("23900000")
YEARS = 3  # a three-year programme ending in the build year, so this year has acceptances
CONTRACTORS = ("重庆建工住宅建设有限公司", "重庆九龙建设有限公司", "重庆渝西装饰工程有限公司",
               "重庆城建环境工程有限公司", "重庆华岩建筑安装有限公司")
PDF = b"%PDF-1.4\n% demo acceptance certificate\n%%EOF\n"


def _spread(rng, sites: list[Site], n: int) -> list[Site]:  # type: ignore[no-untyped-def]
    """``n`` centres taken street by street in turn, so every street gets its share."""
    by_street: dict[str, list[Site]] = defaultdict(list)
    for s in sites:
        by_street[s.region_path[:9]].append(s)
    for group in by_street.values():
        rng.shuffle(group)
    streets = sorted(by_street)
    rng.shuffle(streets)
    chosen: list[Site] = []
    while len(chosen) < n and any(by_street.values()):
        for key in streets:
            if by_street[key] and len(chosen) < n:
                chosen.append(by_street[key].pop())
    return chosen


def _day(rng, start: dt.date, end: dt.date) -> dt.date:  # type: ignore[no-untyped-def]
    return start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))


@step("renovation", order=56)
def build_renovation(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("renovation")
    district = next(r for r in ctx.regions.values() if r.level == RegionLevel.DISTRICT)
    centres = list(Site.objects.unscoped(reason="demo: builds the whole district").filter(kind=SiteKind.PARTY_CENTRE, active=True)
                   .order_by("region_path", "pk"))
    wanted = CENTRES.get(ctx.profile.name, CENTRES["seed"])
    chosen = _spread(rng, centres, wanted)
    if not chosen:
        return {"programmes": 0}
    scale = Decimal(wanted) / Decimal(CENTRES["seed"])
    low, high = (int(v * scale) for v in SEED_SPENT)
    total_spent = Decimal(rng.randint(low, high))
    weights = [rng.uniform(0.6, 1.4) for _ in chosen]
    shares = [(total_spent * Decimal(w) / Decimal(sum(weights))).quantize(Decimal("1"))
              for w in weights]
    shares[-1] += total_spent - sum(shares)  # the cents add up exactly
    today = build_day()
    end_year = today.year
    start_year = end_year - YEARS + 1
    # The balance is paid 30 days after acceptance, never after the build day.
    last_accept = min(dt.date(end_year, 12, 20), today - dt.timedelta(days=31))
    last_start = min(dt.date(end_year, 3, 31), last_accept - dt.timedelta(days=90))
    programme = Programme.objects.create(
        name="村(社区)党群服务中心“强基赋能”三年行动计划", region=district,
        region_path=district.path, department="区委组织部", start_year=start_year,
        end_year=end_year, total_budget=(SEED_TOTAL_BUDGET * scale).quantize(Decimal("1")))
    renovations = []
    plans = []
    for i, (site, amount) in enumerate(zip(chosen, shares, strict=True)):
        started = _day(rng, dt.date(start_year, 3, 1), last_start)
        accepted = min(_day(rng, started + dt.timedelta(days=90),
                            started + dt.timedelta(days=270)), last_accept)
        if i == 0:  # the latest one is accepted this year (once the year is a month old)
            accepted = _day(rng, min(dt.date(end_year, 1, 1), last_accept), last_accept)
            started = accepted - dt.timedelta(days=rng.randint(90, 270))
        renovations.append(Renovation(
            programme=programme, site=site, region_path=site.region_path, budget=amount,
            contractor=CONTRACTORS[i % len(CONTRACTORS)],
            contract_number=f"JLP-QJFN-{started.year}-{i + 1:03d}", contract_amount=amount,
            progress=Progress.UNDER_WAY, started_on=started, accepted_on=accepted))
        plans.append((started, accepted, amount))
    renovations = Renovation.objects.bulk_create(renovations)
    docs = RenovationDocument.objects.bulk_create([
        RenovationDocument(renovation=r, region_path=r.region_path, kind=DocumentKind.ACCEPTANCE,
                           data=PDF, name=f"验收报告-{r.contract_number}.pdf",
                           content_type="application/pdf", size=len(PDF),
                           sha256=hashlib.sha256(PDF).hexdigest()) for r in renovations])
    for r, d in zip(renovations, docs, strict=True):  # accepted once its proof exists
        r.acceptance_document, r.progress = d, Progress.ACCEPTED
    Renovation.objects.unscoped(reason="demo: builds the whole district").bulk_update(renovations, ["acceptance_document", "progress"])
    spendings, transitions = [], []
    for r, (started, accepted, amount) in zip(renovations, plans, strict=True):
        # an advance at the start, progress payments, the balance after acceptance
        parts = [Decimal("0.3"), Decimal("0.4")]
        paid = [(amount * p).quantize(Decimal("0.01")) for p in parts]
        paid.append(amount - sum(paid))
        days = [started, _day(rng, started, accepted), accepted + dt.timedelta(days=30)]
        spendings += [Spending(renovation=r, region_path=r.region_path, spent_on=day,
                               amount=value, voucher_number=f"{r.contract_number}-PZ{k + 1}")
                      for k, (day, value) in enumerate(zip(days, paid, strict=True))]
        transitions += [
            Transition(renovation=r, region_path=r.region_path, from_progress=Progress.PLANNED,
                       to_progress=Progress.UNDER_WAY, on=started),
            Transition(renovation=r, region_path=r.region_path,
                       from_progress=Progress.UNDER_WAY, to_progress=Progress.ACCEPTED,
                       on=accepted)]
    Spending.objects.bulk_create(spendings)
    Transition.objects.bulk_create(transitions)
    return {"programmes": 1, "centres": len(renovations), "spent_yuan": int(total_spent)}
