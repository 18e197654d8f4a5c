"""Demo incubation and capacity: every incubating organisation sits in a base with issues,
follow-ups and assessments; some registered ones graduated from one; a few records have
fallen behind on their follow-ups so the overdue filter has something to show."""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from wushe.demo.steps import DemoContext
from wushe.orgs.models import (
    AREAS,
    CapacityAssessment,
    FollowUpKind,
    Incubation,
    IncubationFollowUp,
    IncubationIssue,
    IncubationStage,
    OrgStatus,
    SocialOrganization,
)

AREA_KEYS = [k for k, _label in AREAS]
# Where young organisations struggle most (finance and brand), least (governance basics).
ISSUE_WEIGHTS = {"governance": 10, "team": 14, "finance": 22, "projects": 16, "brand": 18,
                 "outreach": 12, "expertise": 8}
ISSUES = {"governance": "章程执行不到位,理事会未按期召开", "team": "骨干流失,志愿者管理松散",
          "finance": "财务制度不健全,票据不规范", "projects": "项目计划与执行脱节",
          "brand": "缺少品牌项目和宣传材料", "outreach": "服务对象覆盖面窄",
          "expertise": "专业方法运用不足"}
MENTORS = ("周思远", "何丽", "罗建国", "唐敏", "谭晓梅", "刘婷", "陈静")


def _scores(rng: random.Random, level: float) -> dict[str, Decimal]:
    base = {"finance": -8, "brand": -6, "outreach": -3, "governance": 3}
    return {k: Decimal(str(round(min(98.0, max(20.0, rng.gauss(level + base.get(k, 0), 6))), 1)))
            for k in AREA_KEYS}


def incubate(ctx: DemoContext, rng: random.Random, orgs: list[SocialOrganization],
             showcase: SocialOrganization, bases: list[Any], today: dt.date) -> dict[str, int]:
    by_path = {b.region_path: b for b in bases}
    district_base = next(b for b in bases if len(b.region_path) == 6)
    registered = [o for o in orgs if o.status == OrgStatus.REGISTERED and o is not showcase]
    chosen = [o for o in orgs if o.status == OrgStatus.INCUBATING]
    graduated = [showcase] + [o for o in registered
                              if o.registered_on and o.registered_on.year >= today.year - 5
                              and rng.random() < 0.3]
    incubations: list[Incubation] = []
    issues: list[IncubationIssue] = []
    follow_ups: list[IncubationFollowUp] = []
    assessments: list[CapacityAssessment] = []
    for org in chosen + graduated:
        done = org in graduated
        if done:
            assert org.registered_on is not None
            started = org.registered_on - dt.timedelta(days=rng.randint(240, 540))
            stage, ended = IncubationStage.GRADUATED, org.registered_on
        else:
            started = today - dt.timedelta(days=rng.randint(45, 600))
            stage = rng.choice((IncubationStage.ENTERED, IncubationStage.CULTIVATING,
                                IncubationStage.CULTIVATING, IncubationStage.EVALUATING))
            ended = None
        base = by_path.get(org.region_path[:9], district_base)
        inc = Incubation(org=org, region_path=org.region_path, base=base, stage=stage,
                         mentor=rng.choice(MENTORS), started_on=started, graduated_on=ended)
        incubations.append(inc)
        last = ended or today
        for _ in range(rng.randint(1, 4)):
            area = rng.choices(list(ISSUE_WEIGHTS), weights=list(ISSUE_WEIGHTS.values()))[0]
            found = started + dt.timedelta(days=rng.randint(0, max(1, (last - started).days // 2)))
            fixed = done or rng.random() < 0.5
            issues.append(IncubationIssue(
                incubation=inc, region_path=inc.region_path, area=area, description=ISSUES[area],
                found_on=found,
                resolved_on=min(last, found + dt.timedelta(days=rng.randint(10, 90)))
                if fixed else None,
                resolution="导师辅导,建立制度并跟踪落实" if fixed else ""))
        # Behind on follow-ups: about one in eight open records stopped two months ago.
        stop = last - dt.timedelta(days=rng.randint(60, 120)) \
            if not done and rng.random() < 0.125 else last
        for kind, every, keep in ((FollowUpKind.FOLLOW_UP, 30, 12),
                                  (FollowUpKind.FIELD_VISIT, 90, 4)):
            days = [stop - dt.timedelta(days=every * i + rng.randint(0, 6)) for i in range(keep)]
            follow_ups.extend(IncubationFollowUp(
                incubation=inc, region_path=inc.region_path, kind=kind, on=d,
                notes="跟踪整改进度,指导项目执行" if kind == FollowUpKind.FOLLOW_UP
                else "实地查看活动开展和台账") for d in days if d >= started)
        level = rng.uniform(45, 60)
        for i in range(rng.randint(1, 3)):
            day = min(last, started + dt.timedelta(days=150 * (i + 1)))
            level += rng.uniform(4, 10)
            # A graduate passed its graduation review: its last average is at least 62.
            scores = _scores(rng, max(level, 66) if done else level)
            assessments.append(CapacityAssessment(
                org=org, region_path=org.region_path, assessed_on=day,
                assessor=rng.choice(MENTORS), evidence="查阅台账、访谈负责人和服务对象", **scores))
    # The showcase's yearly checks since it graduated: a history worth a chart.
    for years_ago, level in ((3, 68), (2, 72), (1, 77), (0, 81)):
        assessments.append(CapacityAssessment(
            org=showcase, region_path=showcase.region_path,
            assessed_on=today - dt.timedelta(days=365 * years_ago + 20), assessor="周思远",
            evidence="年度能力评估:查阅台账、访谈服务对象", **_scores(rng, level)))
    for org in registered:  # capacity checks of established organisations
        if rng.random() < 0.15:
            for i in range(rng.randint(1, 2)):
                assessments.append(CapacityAssessment(
                    org=org, region_path=org.region_path,
                    assessed_on=today - dt.timedelta(days=200 * (i + 1) + rng.randint(0, 60)),
                    assessor=rng.choice(MENTORS), evidence="年度能力评估",
                    **_scores(rng, rng.uniform(55, 85))))
    Incubation.objects.bulk_create(incubations, batch_size=1000)
    IncubationIssue.objects.bulk_create(issues, batch_size=2000)
    IncubationFollowUp.objects.bulk_create(follow_ups, batch_size=2000)
    CapacityAssessment.objects.bulk_create(assessments, batch_size=2000)
    return {"incubations": len(incubations), "incubation_issues": len(issues),
            "follow_ups": len(follow_ups), "assessments": len(assessments)}
