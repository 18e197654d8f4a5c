"""Demo four-party evaluations, consistent with the projects the projects step made.

* Every project past its mid-term (mid-term evaluated, final evaluated, closed) of the recent
  cycles has a decided mid-term evaluation; a final-evaluated project has a scored final
  evaluation awaiting the district's decision; a closed one a decided final evaluation whose
  decision matches the project's outcome (renewed ↔ renew).
* The seed text's figures: about 10 excellent organisations (final evaluation excellent,
  renewed), 12 renewals (the projects step's renewed projects) and 3 eliminated organisations;
  city = 10 ×. Each eliminated organisation moves to the status eliminated through
  orgs' org_eliminate_by_evaluation, as the district's decision would (the orgs step leaves
  that many organisations more, so orgs.eliminated and evaluation.eliminated agree).
* Small profile: the in-service project in 杨家坪街道 delivered by the org_staff account's
  organisation has an OPEN mid-term evaluation; the purchaser (district_admin), the street
  (street_staff) and two recipient representatives have scored, the expert seat is the
  ``evaluator`` account's and waits for it, so the evaluator can log in and finish it.

Scores are drawn around a target total per grade and then computed with scoring.py, so every
stored party score, total and grade is what the services would compute. Bulk inserts only.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from wushe.core.scoping import scopes_disabled
from wushe.demo.spec import ACCOUNT_STREET
from wushe.demo.steps import DemoContext, step
from wushe.evaluation import rules, scoring
from wushe.evaluation.indicators import default_indicator_set
from wushe.evaluation.models import (
    PARTIES,
    CommitteeMember,
    Decision,
    EvalStatus,
    Evaluation,
    Grade,
    Indicator,
    Party,
    Score,
    Stage,
    SurveyResponse,
)
from wushe.orgs.services import org_eliminate_by_evaluation

# (excellent organisations, eliminated organisations, cycles evaluated before this year).
PLANS = {"small": (1, 1, 3), "seed": (10, 3, 4), "city": (100, 30, 4)}
TARGET: dict[str, int] = {Grade.EXCELLENT: 93, Grade.GOOD: 85, Grade.PASS: 71, Grade.FAIL: 52}
EXPERTS = ("王建华", "李晓梅", "陈志强", "刘芳", "张伟", "杨静", "赵敏", "周立新")
REASON_ZH: dict[str, str] = {Decision.RENEW: "服务成效显著,同意续签", Decision.RECTIFY: "限期整改,跟踪督导",
             Decision.ELIMINATE: "成效未达合同要求,淘汰"}


@dataclass
class Plan:
    project: dict[str, Any]
    stage: str
    grade: str
    decision: str  # "" = scored, not decided
    open_for: Any = None  # the evaluator account whose seat is left to score
    members: list[CommitteeMember] = field(default_factory=list)
    sheets: list[list[Score]] = field(default_factory=list)


def _projects() -> list[dict[str, Any]]:
    from wushe.projects.models import ServiceProject

    return [dict(row) for row in ServiceProject.objects.unscoped(reason="demo: builds the whole district")
                .filter(provider__isnull=False,
                        status__in=("in_service", "midterm_evaluated", "final_evaluated",
                                    "closed"))
                .order_by("year", "id")
                .values("id", "code", "status", "outcome", "provider_id", "year", "region_id",
                        "region_path")]


def _ratings(ids: list[int]) -> dict[int, tuple[Decimal | None, int]]:
    """Mean closed-need rating per project, as scoring.need_ratings computes it."""
    out: dict[int, tuple[Decimal | None, int]] = {}
    for start in range(0, len(ids), 500):
        out.update(scoring.need_ratings_by_project(ids[start:start + 500]))
    return out


def _plans(ctx: DemoContext, projects: list[dict[str, Any]]) -> list[Plan]:
    excellent_n, eliminated_n, cycles = PLANS[ctx.profile.name]
    this_year = timezone.localdate().year
    recent = [p for p in projects if p["year"] >= this_year - cycles or p["outcome"] == "renewed"]
    plans: list[Plan] = []
    excellent_orgs: set[int] = set()
    for p in (p for p in recent if p["outcome"] == "renewed"):
        grade = Grade.EXCELLENT if len(excellent_orgs) < excellent_n \
            and p["provider_id"] not in excellent_orgs else Grade.GOOD
        if grade == Grade.EXCELLENT:
            excellent_orgs.add(p["provider_id"])
        plans += [Plan(p, Stage.MIDTERM, grade, Decision.RENEW),
                  Plan(p, Stage.FINAL, grade, Decision.RENEW)]
    # Eliminated: distinct organisations, none of them excellent, not delivering next cycle.
    later = {(p["provider_id"], p["year"]) for p in projects}
    eliminated: set[int] = set()
    rng = ctx.rng("evaluation")
    for p in (p for p in recent if p["status"] == "closed" and p["outcome"] != "renewed"):
        org = p["provider_id"]
        if (len(eliminated) < eliminated_n and org not in eliminated
                and org not in excellent_orgs and (org, p["year"] + 1) not in later):
            eliminated.add(org)
            plans += [Plan(p, Stage.MIDTERM, Grade.PASS, Decision.RECTIFY),
                      Plan(p, Stage.FINAL, Grade.FAIL, Decision.ELIMINATE)]
        else:
            grade = Grade.GOOD if rng.random() < 0.3 else Grade.PASS
            plans += [Plan(p, Stage.MIDTERM, grade, scoring.DECISION_BY_GRADE[grade]),
                      Plan(p, Stage.FINAL, Grade.PASS, Decision.RECTIFY)]
    for p in recent:
        if p["status"] == "final_evaluated":
            grade = Grade.GOOD if rng.random() < 0.5 else Grade.PASS
            plans += [Plan(p, Stage.MIDTERM, grade, scoring.DECISION_BY_GRADE[grade]),
                      Plan(p, Stage.FINAL, grade, "")]
        elif p["status"] == "midterm_evaluated":
            grade = rng.choice((Grade.EXCELLENT, Grade.GOOD, Grade.PASS))
            plans.append(Plan(p, Stage.MIDTERM, grade, scoring.DECISION_BY_GRADE[grade]))
    return plans


def _showcase_plan(ctx: DemoContext, projects: list[dict[str, Any]]) -> Plan | None:
    home = next((r for r in ctx.regions.values() if r.name == ACCOUNT_STREET), None)
    showcase = ctx.shared.get("orgs", {}).get("showcase")
    for p in projects:
        if (p["status"] == "in_service" and home is not None and p["region_path"] == home.path
                and (showcase is None or p["provider_id"] == showcase)):
            return Plan(p, Stage.MIDTERM, Grade.GOOD, "", open_for=ctx.user("evaluator"))
    return None


class Builder:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.rng = ctx.rng("evaluation")
        self.sheet = default_indicator_set()
        self.indicators = list(Indicator.objects.filter(indicator_set=self.sheet))
        district = min(ctx.regions.values(), key=lambda r: len(r.path))
        self.weights = rules.party_weights(district.path)
        self.bands = rules.grade_bands(district.path)
        self.sources = rules.source_weights(district.path)
        self.min_count = rules.min_responses(district.path)
        self.admin = ctx.user("district_admin")
        self.street_staff = ctx.user("street_staff")
        self.home = next((r.path for r in ctx.regions.values() if r.name == ACCOUNT_STREET), "")

    def seats(self, plan: Plan) -> list[tuple[str, Any, str]]:
        """(party, user, name) of the committee; history is on paper (names only) except
        where a demo account sits."""
        p = plan.project
        experts = self.rng.sample(EXPERTS, 2)
        street_user = self.street_staff if p["region_path"].startswith(self.home) else None
        seats: list[tuple[str, Any, str]] = [
            (Party.PURCHASER, self.admin, str(self.admin)),
            (Party.STREET, street_user, str(street_user) if street_user else "镇街民政办"),
            (Party.RECIPIENTS, None, "服务对象代表甲"), (Party.RECIPIENTS, None, "服务对象代表乙"),
        ]
        if plan.open_for is not None:
            seats.append((Party.EXPERT, plan.open_for, str(plan.open_for)))
        else:
            seats += [(Party.EXPERT, None, f"第三方专家·{n}") for n in experts]
        return seats

    def sheet_for(self, target: int) -> tuple[list[Score], Decimal]:
        scores = []
        for ind in self.indicators:
            frac = min(1.0, max(0.0, target / 100 + self.rng.uniform(-0.06, 0.06)))
            value = (ind.max_score * Decimal(str(round(frac, 3))) * 2).quantize(Decimal(1)) / 2
            scores.append(Score(indicator=ind, score=min(value, ind.max_score), comment=""))
        total = scoring.sheet_total([(s.score, s.indicator.max_score) for s in scores])
        return scores, total

    def evaluation(self, plan: Plan, ratings: tuple[Decimal | None, int],
                   survey: tuple[Decimal | None, int]) -> Evaluation:
        p = plan.project
        totals: dict[str, list[Decimal]] = {party: [] for party in PARTIES}
        for party, user, name in self.seats(plan):
            member = CommitteeMember(party=party, user=user, name=name[:60])
            if user is not None and user == plan.open_for:
                plan.members.append(member)
                plan.sheets.append([])
                continue
            scores, sheet_total = self.sheet_for(TARGET[plan.grade])
            member.total = sheet_total
            plan.members.append(member)
            plan.sheets.append(scores)
            totals[party].append(sheet_total)
        party_scores = {party: scoring.q(sum(t, Decimal(0)) / len(t)) if t else None
                        for party, t in totals.items()}
        rec = party_scores[Party.RECIPIENTS]
        party_scores[Party.RECIPIENTS], detail = scoring.combine_sources(
            {"ratings": ratings, "survey": survey,
             "members": (rec, len(totals[Party.RECIPIENTS]))}, self.sources, self.min_count)
        complete = plan.open_for is None
        total: Decimal | None = None
        if complete:
            total = scoring.weighted_total(
                {k: v for k, v in party_scores.items() if v is not None}, self.weights)
        grade = scoring.grade_for(total, self.bands) if total is not None else ""
        suggestion = scoring.DECISION_BY_GRADE[grade] if grade else ""
        ev = Evaluation(project_id=p["id"], stage=plan.stage, indicator_set=self.sheet,
                        region_id=p["region_id"], region_path=p["region_path"], year=p["year"],
                        provider_id=p["provider_id"], recipients_detail=detail,
                        weights=[str(w) for w in self.weights], total=total, grade=grade,
                        suggested_decision=suggestion, survey_token=secrets.token_urlsafe(16),
                        created_by=self.admin,
                        **{f"{party}_score": party_scores[party] for party in PARTIES})
        ev.status = EvalStatus.OPEN if not complete else (
            EvalStatus.DECIDED if plan.decision else EvalStatus.SCORED)
        day = dt.datetime(p["year"], 7, 15, 10, tzinfo=dt.UTC) if plan.stage == Stage.MIDTERM \
            else dt.datetime(p["year"] + 1, 1, 20, 10, tzinfo=dt.UTC)
        day = min(day, timezone.now())
        if complete:
            ev.scored_at = day
        if plan.decision and complete:
            ev.decision = plan.decision
            ev.decided_by = self.admin
            ev.decided_at = day
            if plan.decision != suggestion:
                ev.decision_reason = REASON_ZH[plan.decision]
        return ev


@step("evaluation", order=70)
def build_evaluations(ctx: DemoContext) -> dict[str, int]:
    with scopes_disabled():
        projects = _projects()
        plans = _plans(ctx, projects)
        open_plan = _showcase_plan(ctx, projects) if ctx.profile.name == "small" else None
        if open_plan is not None:
            plans.append(open_plan)
        b = Builder(ctx)
        ratings = _ratings([p.project["id"] for p in plans])
        survey_answers: list[list[int]] = []
        if open_plan is not None:
            survey_answers = [[b.rng.randint(3, 5) for _ in range(5)] for _ in range(4)]
        evaluations = []
        for plan in plans:
            survey: tuple[Decimal | None, int] = (None, 0)
            if plan is open_plan and survey_answers:
                means = [(Decimal(sum(a)) / len(a)).quantize(Decimal("0.01"))
                         for a in survey_answers]
                mean = sum(means, Decimal(0)) / len(means)
                survey = (scoring.five_to_hundred(mean), len(survey_answers))
            evaluations.append(b.evaluation(plan, ratings.get(plan.project["id"], (None, 0)),
                                            survey))
        evaluations = Evaluation.objects.bulk_create(evaluations, batch_size=1000)
        members = []
        for plan, ev in zip(plans, evaluations, strict=True):
            for m in plan.members:
                m.evaluation = ev
                m.scored_at = ev.scored_at or (timezone.now() if m.total is not None else None)
                members.append(m)
        members = CommitteeMember.objects.bulk_create(members, batch_size=2000)
        scores = []
        for plan in plans:
            for m, sheet in zip(plan.members, plan.sheets, strict=True):
                for s in sheet:
                    s.member = m
                    scores.append(s)
        Score.objects.bulk_create(scores, batch_size=5000)
        # A decided 淘汰 moves the organisation to eliminated, as evaluation_decide does.
        eliminated = 0
        for ev in evaluations:
            if ev.status == EvalStatus.DECIDED and ev.decision == Decision.ELIMINATE:
                org_eliminate_by_evaluation(actor=b.admin, org_id=ev.provider_id,
                                            reason=REASON_ZH[Decision.ELIMINATE],
                                            evaluation_id=ev.pk)
                eliminated += 1
        if open_plan is not None:
            ev = evaluations[plans.index(open_plan)]
            SurveyResponse.objects.bulk_create(
                SurveyResponse(evaluation=ev, answers=a,
                               mean=(Decimal(sum(a)) / len(a)).quantize(Decimal("0.01")))
                for a in survey_answers)
        return {"evaluations": len(evaluations), "committee_members": len(members),
                "scores": len(scores),
                "decided": sum(1 for e in evaluations if e.status == EvalStatus.DECIDED),
                "eliminated": eliminated}

