"""Demo supervision (after the projects step): every purchased project's visits over its term,
the ones already past recorded with the four checks, a few rectification items, and the
centralised sessions and consultations.

small — each active project's schedule with its past visits done except the latest (overdue),
        one open overdue rectification, one centralised session, one consultation;
seed  — the seed text's figures: 4,231 supervision sessions in all, of them about 20
        centralised sessions and about 200 consultations, spread over the projects' years;
city  — ten times seed.

Visits come from the same schedule rules as the service (schedule.plan_visits), so
the demo calendar is what generation would give; everything is bulk-inserted.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from wushe.core.calendar import next_workday
from wushe.core.scoping import scopes_disabled
from wushe.demo.spec import ACCOUNT_STREET
from wushe.demo.steps import DemoContext, step
from wushe.projects import workflow
from wushe.projects.models import ServiceProject
from wushe.regions.models import RegionLevel
from wushe.supervision import schedule
from wushe.supervision.models import (
    CHECKS,
    CheckResult,
    Kind,
    Rectification,
    RectificationStatus,
    Supervision,
    Tier,
    VisitStatus,
)
from wushe.supervision.schedule import plan_visits

# (sessions in all, centralised, consultations) per profile; the seed text's 4,231 / 20 / 200.
PLANS = {"small": (0, 1, 1), "seed": (4231, 20, 200), "city": (42310, 200, 2000)}
OVERDUE_SHARE = 0.03  # of an active project's past visits, still not done
CONCERN_SHARE = 0.08  # recorded visits where a check raised a concern or a problem
OPEN_SHARE = 0.1  # of those rectification items, still open
CENTRAL_TOPICS = ("社工项目中期评估要点集中督导", "项目资金使用规范集中督导", "个案服务记录规范集中督导",
                  "年度项目绩效目标集中督导", "社区社工室运营集中督导")
CONSULT_TOPICS = ("项目申报咨询", "财务票据咨询", "服务方案设计咨询", "志愿者招募咨询",
                  "社会组织登记咨询", "政府购买服务流程咨询")
NOTES = {"progress": "服务进度滞后于月度计划", "spending": "部分支出凭证不完整",
         "staffing": "项目社工人员变动未报备", "outcomes": "活动记录与成效材料不完整"}
ITEMS = {"progress": "补足滞后的服务量并报送调整后的月度计划", "spending": "补齐支出凭证并按预算科目重新归集",
         "staffing": "报备人员变动并补充持证社工", "outcomes": "完善服务档案和成效材料"}


def _record(v: Supervision, rng: random.Random, budget: Decimal, term: tuple[dt.date, dt.date],
            supervisor_id: int | None, concern: bool) -> str | None:
    """Fill a done visit; returns the check that raised a concern, if any."""
    v.status, v.done_on, v.supervisor_id = VisitStatus.DONE, v.scheduled_on, supervisor_id
    for key, _zh, _en in CHECKS:
        setattr(v, f"{key}_result", CheckResult.OK)
    start, end = term
    share = min(1.0, max(0.0, (v.scheduled_on - start).days / max(1, (end - start).days)))
    v.spent_amount = (budget * Decimal(str(round(share * rng.uniform(0.8, 1.0), 3)))) \
        .quantize(Decimal("0.01"))
    v.staff_on_post = rng.randint(2, 6)
    v.findings = "项目按计划推进,各项检查未见异常。"
    if not concern:
        return None
    key = rng.choice([k for k, _zh, _en in CHECKS])
    setattr(v, f"{key}_result", rng.choice((CheckResult.CONCERN, CheckResult.PROBLEM)))
    setattr(v, f"{key}_note", NOTES[key])
    v.findings = f"{NOTES[key]},已提出整改要求。"
    return key


def _projects() -> tuple[list[ServiceProject], dict[int, tuple[dt.date, dt.date]]]:
    projects = list(ServiceProject.objects.filter(status__in=workflow.PURCHASED)
                    .only("id", "region_id", "region_path", "year", "status", "budget")
                    .order_by("id"))
    return projects, schedule.contract_terms([p.pk for p in projects])


@step("supervision", order=65)
def build_supervision(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("supervision")
    today = dt.date.today()
    total, n_central, n_consult = PLANS[ctx.profile.name]
    with scopes_disabled():
        projects, terms = _projects()
        visits = plan_visits(projects, terms=terms)
        by_id = {p.pk: p for p in projects}
        admin = ctx.user("district_admin").pk
        street = ctx.user("street_staff")
        street_path = next(r.path for r in ctx.regions.values()
                           if r.level == RegionLevel.STREET and r.name == ACCOUNT_STREET)

        def supervisor(v: Supervision) -> int | None:
            if v.tier == Tier.CENTRE_TO_STATION:
                return admin
            return street.pk if v.region_path.startswith(street_path) else None

        past = [v for v in visits if v.scheduled_on < today]
        active = [v for v in past
                  if by_id[v.project_id].status in schedule.ACTIVE_STATUSES]  # type: ignore[index]
        history = [v for v in past
                   if by_id[v.project_id].status not in schedule.ACTIVE_STATUSES]  # type: ignore[index]
        if ctx.profile.name == "small":
            # The latest past visit of each active project stays overdue; all else is done.
            latest: dict[int, Supervision] = {}
            for v in active:
                latest[v.project_id] = v  # type: ignore[index]  # sorted by date per project
            overdue = {id(v) for v in latest.values()}
            done = [v for v in past if id(v) not in overdue]
        else:
            overdue = {id(v) for v in rng.sample(active, int(len(active) * OVERDUE_SHARE))}
            done = [v for v in active if id(v) not in overdue]
            wanted = max(0, total - n_central - n_consult - len(done))
            picked = rng.sample(history, min(wanted, len(history)))
            done += picked
            chosen = {id(v) for v in picked}
            for v in history:
                if id(v) not in chosen:
                    v.status = VisitStatus.MISSED
        # Small: the first recorded visit of an active project raises a concern, so the
        # overdue-rectification list has its one open item on a project still in service.
        small = ctx.profile.name == "small"
        forced = next((v for v in done if v in active), done[0] if done else None) \
            if small else None
        concerns: list[tuple[Supervision, str]] = []
        for v in done:
            p = by_id[v.project_id]  # type: ignore[index]
            term = terms.get(p.pk) or schedule.year_term(p.year)
            concern = (v is forced) if small else rng.random() < CONCERN_SHARE
            key = _record(v, rng, p.budget, term, supervisor(v), concern)
            if key:
                concerns.append((v, key))
        sessions = _sessions(ctx, rng, today, n_central, n_consult, admin, projects)
        Supervision.objects.bulk_create(visits + sessions, batch_size=2000)
        items = _rectifications(rng, concerns, today, small=small)
        Rectification.objects.bulk_create(items, batch_size=2000)
    return {"visits": len(visits), "done": len(done) + len(sessions),
            "overdue": len(overdue), "sessions": len(sessions), "rectifications": len(items)}


def _sessions(ctx: DemoContext, rng: random.Random, today: dt.date, n_central: int,
              n_consult: int, admin: int, projects: list[ServiceProject]) -> list[Supervision]:
    regions = list(ctx.regions.values())
    district = next(r for r in regions if r.level == RegionLevel.DISTRICT)
    streets = [r for r in regions if r.level == RegionLevel.STREET]
    if ctx.profile.name == "small":
        streets = [r for r in streets if r.name == ACCOUNT_STREET]
    years = sorted({p.year for p in projects if p.year <= today.year}) or [today.year]
    sites = schedule.SiteIndex()
    out = []
    for kind, n in ((Kind.CENTRALISED, n_central), (Kind.CONSULTATION, n_consult)):
        for i in range(n):
            region = district if kind == Kind.CENTRALISED else rng.choice(streets)
            year = years[i * len(years) // n] if n > 1 else today.year
            last = min(today - dt.timedelta(days=1), dt.date(year, 12, 31))
            day = next_workday(dt.date(year, 1, 1) + dt.timedelta(
                days=rng.randrange(max(1, (last - dt.date(year, 1, 1)).days))))
            day = min(day, last)
            tier = schedule.tier_for(region.path)
            out.append(Supervision(
                kind=kind, tier=tier, supervising_site_id=sites.site_id(region.path, tier),
                region=region, region_path=region.path, scheduled_on=day, done_on=day,
                status=VisitStatus.DONE, supervisor_id=admin,
                topic=rng.choice(CENTRAL_TOPICS if kind == Kind.CENTRALISED else CONSULT_TOPICS),
                participants=rng.randint(30, 120) if kind == Kind.CENTRALISED
                else rng.randint(1, 6),
                organisations=rng.randint(8, 40) if kind == Kind.CENTRALISED
                else rng.randint(0, 2)))
    return out


def _rectifications(rng: random.Random, concerns: list[tuple[Supervision, str]],
                    today: dt.date, *, small: bool) -> list[Rectification]:
    out = []
    for i, (v, key) in enumerate(concerns):
        assert v.done_on is not None
        due = v.done_on + dt.timedelta(days=rng.choice((15, 30, 30, 45)))
        if small:
            due = max(v.done_on, min(due, today - dt.timedelta(days=1)))
        # Small: the first item stays open past its due date (the overdue list has one).
        still_open = (i == 0) if small else (rng.random() < OPEN_SHARE or due >= today)
        closed = None if still_open else min(today, due - dt.timedelta(days=rng.randint(0, 10)))
        out.append(Rectification(
            supervision=v, region_path=v.region_path, item=ITEMS[key], due_on=due,
            status=RectificationStatus.OPEN if still_open else RectificationStatus.CLOSED,
            closed_on=closed, closure_note="" if still_open else "已按要求整改到位并报送佐证材料。",
            created_by_id=v.supervisor_id, closed_by_id=None if still_open else v.supervisor_id))
    return out

