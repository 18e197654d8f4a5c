"""Demo workers at the seed text's scale: 4,250 professional social workers in post, 1,247
certified, 705 placed at the three-tier sites; community workers staffed to the standard in
most communities and short in some, so the shortfall page has content. Workers are existing
demo Persons (adults), never new ones.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from wushe.demo.spec import ACCOUNT_STREET
from wushe.demo.steps import DemoContext, step
from wushe.orgs.models import SocialOrganization
from wushe.people.models import Person
from wushe.regions.models import Region, RegionLevel, Site, SiteKind
from wushe.regions.rules import RULES
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import (
    Appraisal,
    AppraisalResult,
    CertificateLevel,
    CommunityWorker,
    Education,
    SocialWorker,
    Training,
    TrainingKind,
    WorkerStatus,
)
from wushe.workforce.staffing import required_workers


@dataclass(frozen=True)
class Plan:
    social: int  # in post (seed: 4,250)
    certified: int  # (seed: 1,247)
    placed: int  # (seed: 705)
    streets: tuple[str, ...] | None  # streets whose communities get workers (None: all)


PLANS = {
    "small": Plan(120, 35, 20, (ACCOUNT_STREET, "黄桷坪街道")),
    "seed": Plan(4250, 1247, 705, None),
    "city": Plan(42500, 12470, 7050, None),
}
SHORT_SHARE = 0.12  # communities left short of staff
LEVELS = [(CertificateLevel.ASSISTANT, 68), (CertificateLevel.INTERMEDIATE, 30),
          (CertificateLevel.SENIOR, 2)]
LEVEL_CODE = {CertificateLevel.ASSISTANT: "A", CertificateLevel.INTERMEDIATE: "B",
              CertificateLevel.SENIOR: "C"}
TRAININGS = [(TrainingKind.CONTINUING, "社会工作者继续教育", "区社会工作协会", 50),
             (TrainingKind.SHORT_COURSE, "个案管理实务短训", "区社会工作服务中心", 25),
             (TrainingKind.FURTHER_STUDY, "社会工作硕士课程进修", "西南大学", 5),
             (TrainingKind.INTERNSHIP, "儿童保护实习督导", "区未成年人保护中心", 10),
             (TrainingKind.STUDY_VISIT, "五社联动经验交流", "渝中区社工协会", 10)]
APPRAISALS = [(AppraisalResult.EXCELLENT, 15), (AppraisalResult.COMPETENT, 75),
              (AppraisalResult.BASIC, 8), (AppraisalResult.INCOMPETENT, 2)]
EDUCATION = [(Education.SECONDARY, 10), (Education.COLLEGE, 45), (Education.BACHELOR, 40),
             (Education.POSTGRADUATE, 5)]


def _pick(rng: random.Random, weighted: list[tuple[Any, int]]) -> Any:
    return rng.choices([v for v, _w in weighted], weights=[w for _v, w in weighted])[0]


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days)))


def _adults(rng: random.Random, needed: int, today: dt.date) -> list[int]:
    """Ids of demo persons aged 22 to 58; ids are interleaved across communities, so the
    first ones are a fair sample, shuffled."""
    born_after = today.replace(year=today.year - 58)
    born_before = today.replace(year=today.year - 22)
    ids = list(Person.objects.unscoped(reason="demo: builds the whole district").filter(birth_date__range=(born_after, born_before))
               .order_by("id").values_list("id", flat=True)[: needed * 2])
    if len(ids) < needed:
        raise RuntimeError(f"the demo holds {len(ids)} adults; {needed} workers are needed")
    rng.shuffle(ids)
    return ids[:needed]


def _community_plan(rng: random.Random, communities: list[Region],
                    account_communities: list[str]) -> list[tuple[Region, int, int]]:
    """(community, workers in post, workers who left) per community."""
    ratio = Decimal(RULES["workforce.staffing_ratio"].base())
    floor = int(RULES["workforce.staffing_floor"].base())
    plan = []
    for c in communities:
        required = required_workers(c.population, ratio, floor)
        # The first account community is short and the second fully staffed, so both demo
        # community accounts see a different side of the standard.
        short = c.code == account_communities[0] or (
            c.code not in account_communities and rng.random() < SHORT_SHARE)
        actual = max(0, required - rng.randint(1, 3)) if short else \
            required + rng.choice((0, 0, 0, 1, 2))
        plan.append((c, actual, int(rng.random() < 0.3)))
    return plan


@step("workforce", order=30)
def build_workforce(ctx: DemoContext) -> dict[str, int]:
    plan = PLANS[ctx.profile.name]
    rng = ctx.rng("workforce")
    today = dt.date.today()
    regions = list(ctx.regions.values())
    streets = {r.path: r for r in regions if r.level == RegionLevel.STREET}
    wanted = {p for p, s in streets.items() if plan.streets is None or s.name in plan.streets}
    communities = [r for r in regions if r.level == RegionLevel.COMMUNITY
                   and r.path[:9] in wanted]
    home = next(s for s in streets.values() if s.name == ACCOUNT_STREET)
    account_communities = sorted(c.code for c in communities if c.parent_id == home.pk)[:2]
    staffing = _community_plan(rng, communities, account_communities)
    left_social = plan.social // 30
    n_community = sum(a + left for _c, a, left in staffing)
    people = iter(_adults(rng, plan.social + left_social + n_community, today))

    social = _social_workers(ctx, rng, plan, left_social, people, today)
    SocialWorker.objects.bulk_create(social, batch_size=2000)
    trainings = _trainings(rng, social, today)
    Training.objects.bulk_create(trainings, batch_size=2000)

    ladder = ladder_for()
    workers = []
    for community, actual, left in staffing:
        for i in range(actual + left):
            post = 1 if i == 0 else (2 if i <= max(1, actual // 6) else 3)
            hired = _day(rng, dt.date(2004, 1, 1), today - dt.timedelta(days=120))
            education = _pick(rng, EDUCATION)
            grade = ladder.suggested_grade(post_number=post, education=education, hired_on=hired,
                                           on=today)
            grade = min(ladder.posts[post - 1].highest, grade + rng.choice((0, 0, 1)))
            workers.append(CommunityWorker(
                person_id=next(people), community=community, region_path=community.path,
                post=post, grade=grade, education=education, hired_on=hired,
                status=WorkerStatus.LEFT if i >= actual else WorkerStatus.ACTIVE))
    CommunityWorker.objects.bulk_create(workers, batch_size=2000)
    appraisals = [Appraisal(worker=w, region_path=w.region_path, year=year,
                            result=_pick(rng, APPRAISALS), note="年度履职考评")
                  for w in workers if w.status == WorkerStatus.ACTIVE
                  for year in (today.year - 2, today.year - 1) if w.hired_on.year < year]
    Appraisal.objects.bulk_create(appraisals, batch_size=2000)
    return {"social_workers": len(social), "trainings": len(trainings),
            "community_workers": len(workers), "appraisals": len(appraisals)}


def _social_workers(ctx: DemoContext, rng: random.Random, plan: Plan, left: int,
                    people: Any, today: dt.date) -> list[SocialWorker]:
    sites = list(Site.objects.unscoped(reason="demo: builds the whole district").filter(
        kind__in=(SiteKind.SW_CENTRE, SiteKind.SW_STATION, SiteKind.SW_ROOM), active=True)
        .select_related("region").order_by("region_path", "id"))
    weight: dict[str, float] = {SiteKind.SW_CENTRE: 40.0, SiteKind.SW_STATION: 10.0, SiteKind.SW_ROOM: 2.0}
    employer_ids = ctx.shared.get("orgs", {}).get("employers", [])
    employers = list(SocialOrganization.objects.unscoped(reason="demo: builds the whole district").filter(pk__in=employer_ids)
                     .select_related("region")) if employer_ids else []
    workplaces = [r for r in ctx.regions.values()
                  if r.level in (RegionLevel.STREET, RegionLevel.COMMUNITY)]
    out = []
    for i in range(plan.social + left):
        placed = i < plan.placed
        # Placed workers are more often certified, as the three-tier posts ask for it.
        certified = (i < plan.placed * 0.6) or (plan.placed <= i < plan.placed
                                                + plan.certified - int(plan.placed * 0.6))
        site = rng.choices(sites, weights=[weight[s.kind] for s in sites])[0] if placed else None
        employer = rng.choice(employers) if employers and rng.random() < 0.7 else None
        region = site.region if site else (employer.region if employer
                                           else rng.choice(workplaces))
        level = _pick(rng, LEVELS) if certified else CertificateLevel.NONE
        certified_on = _day(rng, dt.date(2009, 6, 1), today - dt.timedelta(days=30)) \
            if certified else None
        out.append(SocialWorker(
            person_id=next(people), region=region, region_path=region.path,
            certificate_level=level,
            certificate_number=f"{LEVEL_CODE[level]}{certified_on.year}5001{i:07d}"
            if certified_on else None,
            certified_on=certified_on, employer=employer, site=site,
            status=WorkerStatus.LEFT if i >= plan.social else WorkerStatus.ACTIVE,
            hired_on=_day(rng, dt.date(2012, 1, 1), today - dt.timedelta(days=60))))
    return out


def _trainings(rng: random.Random, workers: list[SocialWorker], today: dt.date) -> list[Training]:
    out = []
    for w in workers:
        if w.status != WorkerStatus.ACTIVE or (w.certificate_level == CertificateLevel.NONE
                                               and rng.random() < 0.6):
            continue
        for year in (today.year - 1, today.year):
            end = today if year == today.year else dt.date(year, 12, 31)
            for _ in range(rng.randint(1, 5)):
                kind, title, provider, _weight = rng.choices(
                    TRAININGS, weights=[t[3] for t in TRAININGS])[0]
                out.append(Training(worker=w, region_path=w.region_path, kind=kind, title=title,
                                    provider=provider, on=_day(rng, dt.date(year, 1, 1), end),
                                    hours=Decimal(rng.choice((8, 12, 16, 24, 32, 40)))))
    return out
