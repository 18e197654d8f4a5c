"""The 自治金 part of the demo (seed text: "收集自治金点子300余个"): a budget per community
for this year and last on its community fund, residents' support for the ideas the needs step
made (confirmed phones, in bulk; some support on paper), and money for ideas adopted this year
through the charity services (requested → approved → paid), never beyond the budget or a
third of what the fund holds."""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import Decimal
from typing import Any

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

from wushe.core.crypto import blind_index
from wushe.demo.steps import DemoContext, step
from wushe.needs.models import Idea, IdeaBudget, IdeaPaperSupport, IdeaState, IdeaSupport

# Online supporters per idea (a typical idea gathers a few dozen), by profile.
SUPPORT_MAX = {"small": 8, "seed": 40, "city": 40}
# Ideas adopted this year that get money through the services (each is three service calls).
FUNDED_MAX = {"small": 6, "seed": 40, "city": 80}
BUDGET_RANGE = (20_000, 60_000)  # yuan a community a year


def _budgets(ctx: DemoContext, rng: Any, years: list[int]) -> dict[tuple[int, int], IdeaBudget]:
    from wushe.charity import figures

    funds: dict[int, int] = ctx.shared.get("charity", {}).get("community_funds", {})
    setter = ctx.user("street_staff")
    communities = [r for r in ctx.regions.values() if r.pk in funds and r.level == "community"]
    cash = {f_id: t.cash for f_id, t in figures.totals(list(funds.values())).items()}
    rows = []
    for r in communities:
        room = (cash.get(funds[r.pk], Decimal(0)) / 3).quantize(Decimal(1))
        for year in years:
            amount = min(Decimal(rng.randrange(*BUDGET_RANGE) // 1000 * 1000), room)
            if amount > 0:
                rows.append(IdeaBudget(region_id=r.pk, region_path=r.path, year=year,
                                       fund_id=funds[r.pk], amount=amount, set_by=setter,
                                       set_at=timezone.make_aware(dt.datetime(year, 1, 15, 9))))
    IdeaBudget.objects.bulk_create(rows, batch_size=1000)
    return {(b.region_id, b.year): b for b in rows}


def _supports(ctx: DemoContext, rng: Any, ideas: list[Idea]) -> tuple[int, int]:
    top = SUPPORT_MAX.get(ctx.profile.name, SUPPORT_MAX["small"])
    rows, paper, counts, paper_counts = [], [], {}, {}
    staff = ctx.user("community_staff_a")
    for idea in ideas:
        n = int(rng.random() ** 2 * top)
        for _ in range(n):
            phone = f"13{rng.randrange(10**9):09d}"
            at = idea.submitted_at + dt.timedelta(hours=rng.randrange(1, 24 * 20))
            rows.append(IdeaSupport(idea_id=idea.pk, phone_bidx=blind_index(phone),
                                    token=secrets.token_urlsafe(18)[:24], sends=1,
                                    code_sent_at=at, confirmed_at=at + dt.timedelta(minutes=2),
                                    created_at=at))
        counts[idea.pk] = n
        if rng.random() < 0.25:
            k = rng.randrange(5, 60)
            paper.append(IdeaPaperSupport(idea_id=idea.pk, region_path=idea.region_path, count=k,
                                          note="居民议事会签名", recorded_by=staff,
                                          recorded_at=idea.submitted_at + dt.timedelta(days=3)))
            paper_counts[idea.pk] = k
    # Two random phones may collide on one idea: keep one row each (the constraint holds).
    IdeaSupport.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    Idea.objects.unscoped(reason="demo: builds the whole district").filter(pk__in=list(counts)).update(
        support_count=Case(*[When(pk=k, then=Value(v)) for k, v in counts.items()],
                           output_field=IntegerField()),
        paper_support_count=Case(*[When(pk=k, then=Value(v)) for k, v in paper_counts.items()],
                                 default=Value(0), output_field=IntegerField()))
    return len(rows), len(paper)


def _fund_ideas(ctx: DemoContext, rng: Any, ideas: list[Idea],
                budgets: dict[tuple[int, int], IdeaBudget]) -> dict[str, int]:
    from wushe.charity import services as charity
    from wushe.needs.ideas_selectors import budget_remaining
    from wushe.needs.services.budget import idea_allocate

    year = timezone.localdate().year
    admin, manager = ctx.user("district_admin"), ctx.user("fund_manager")
    adopted = [i for i in ideas if i.state == IdeaState.ADOPTED and i.decided_at is not None
               and timezone.localtime(i.decided_at).year == year
               and (i.region_id, year) in budgets]
    rng.shuffle(adopted)
    out = {"requested": 0, "approved": 0, "paid": 0}
    for idea in adopted[:FUNDED_MAX.get(ctx.profile.name, FUNDED_MAX["small"])]:
        left = budget_remaining(budgets[(idea.region_id, year)])
        amount = min(Decimal(rng.randrange(2, 12) * 500), left)
        if amount <= 0:
            continue
        alloc = idea_allocate(actor=admin, idea=idea, amount=amount)
        roll = rng.random()
        if roll < 0.85:
            d = charity.disbursement_approve(actor=manager, disbursement=alloc.disbursement,
                                             comment="居民议事会通过,同意")
            if roll < 0.6 and d.status == "approved":
                charity.disbursement_pay(actor=admin, disbursement=d,
                                         payment_ref=f"ZZJ{year}{idea.pk:05d}")
        alloc.disbursement.refresh_from_db()
        out[alloc.disbursement.status] = out.get(alloc.disbursement.status, 0) + 1
    return out


@step("ideas_money", order=51)  # after the needs (ideas) and charity (community funds) steps
def ideas_money_demo(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("ideas_money")
    year = timezone.localdate().year
    budgets = _budgets(ctx, rng, [year - 1, year])
    ideas = list(Idea.objects.unscoped(reason="demo: builds the whole district").order_by("pk")
                 .only("id", "state", "region_id", "region_path", "submitted_at", "decided_at"))
    supports, paper = _supports(ctx, rng, ideas)
    funded = _fund_ideas(ctx, rng, ideas, budgets)
    return {"ideas": len(ideas), "budgets": len(budgets), "supports": supports,
            "paper_supports": paper, **{f"allocations_{k}": v for k, v in funded.items()}}
