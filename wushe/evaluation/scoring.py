"""From score sheets to a decision: party scores, the weighted total, the grade, the suggestion.

* A member's total is its sheet normalised to 100: sum of its scores / sum of the maxima × 100.
* The purchaser's, the street's and the experts' party score is the mean of their members'
  totals.
* The recipients' party score combines up to three sources, each on 0–100:
  (a) the residents' ratings (1–5) of the project's origin needs that are closed (rated),
  (b) the anonymous survey answers (each sheet's mean answer, 1–5),
  (c) the totals of the recipient members of the committee.
  A 1–5 answer maps linearly to 0–100 ((x − 1) × 25). A source counts only with enough data
  (rule evaluation.min_responses for (a) and (b), one scored member for (c)); the counted
  sources are averaged with the rule evaluation.recipient_source_weights, rescaled over the
  sources that count. With no source at all the recipients have no score yet.
* The weighted total is Σ weight × party score / 100 (rule evaluation.party_weights, which must
  sum to 100), over the party scores rounded to 0.01; the grade comes from the bands (rule
  evaluation.grade_bands); the suggested decision from the grade: excellent or good → renew,
  pass → rectify, fail → eliminate.

The evaluation is complete (``Result.complete``) when every member has scored and each of the
four parties has a score.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Avg, Count

from wushe.evaluation import rules
from wushe.evaluation.models import (
    PARTIES,
    CommitteeMember,
    Decision,
    Evaluation,
    Grade,
    Party,
    SurveyResponse,
)

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
DECISION_BY_GRADE: dict[str, str] = {Grade.EXCELLENT: Decision.RENEW, Grade.GOOD: Decision.RENEW,
                     Grade.PASS: Decision.RECTIFY, Grade.FAIL: Decision.ELIMINATE}
# Grades whose stage counts as passed (the payment gate).
PASSING = frozenset({Grade.EXCELLENT, Grade.GOOD, Grade.PASS})
SOURCES = ("ratings", "survey", "members")
PARTY_NAMES: dict[str, tuple[str, str]] = {Party.PURCHASER: ("购买方", "the purchasing body"),
               Party.STREET: ("镇街", "the town/street"),
               Party.RECIPIENTS: ("服务对象", "the service recipients"),
               Party.EXPERT: ("第三方专家", "the third-party experts")}


def q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def sheet_total(pairs: list[tuple[Decimal, Decimal]]) -> Decimal:
    """(score, max) per indicator → the sheet on a 0–100 scale."""
    top = sum((m for _s, m in pairs), Decimal(0))
    if not top:
        return Decimal(0)
    return q(sum((s for s, _m in pairs), Decimal(0)) * HUNDRED / top)


def five_to_hundred(mean: Decimal) -> Decimal:
    """A 1–5 answer on 0–100: 1 → 0, 3 → 50, 5 → 100."""
    return q((Decimal(mean) - 1) * 25)


def grade_for(total: Decimal, bands: list[Decimal]) -> str:
    excellent, good, passing = bands
    if total >= excellent:
        return Grade.EXCELLENT
    if total >= good:
        return Grade.GOOD
    if total >= passing:
        return Grade.PASS
    return Grade.FAIL


def weighted_total(scores: dict[str, Decimal], weights: list[Decimal]) -> Decimal:
    rules.check_weights(weights)
    return q(sum((w * scores[p] for p, w in zip(PARTIES, weights, strict=True)), Decimal(0))
             / HUNDRED)


def combine_sources(found: dict[str, tuple[Decimal | None, int]], weights: list[Decimal],
                    min_count: int) -> tuple[Decimal | None, dict[str, Any]]:
    """The recipients' score from its sources: {source: (score 0–100 or None, count)}."""
    detail: dict[str, Any] = {}
    used: list[tuple[Decimal, Decimal]] = []
    for name, weight in zip(SOURCES, weights, strict=True):
        score, count = found.get(name, (None, 0))
        enough = score is not None and count >= (1 if name == "members" else min_count)
        counted = enough and weight > 0
        detail[name] = {"score": str(score) if score is not None else None, "count": count,
                        "weight": str(weight), "counted": counted}
        if counted:
            used.append((weight, score))  # type: ignore[arg-type]
    if not used:
        return None, detail
    whole = sum((w for w, _s in used), Decimal(0))
    return q(sum((w * s for w, s in used), Decimal(0)) / whole), detail


@dataclass
class Result:
    party_scores: dict[str, Decimal | None]
    recipients_detail: dict[str, Any]
    weights: list[Decimal]
    members_pending: int
    total: Decimal | None = None
    grade: str = ""
    suggestion: str = ""
    missing: list[tuple[str, str]] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return self.total is not None


def need_ratings(evaluation: Evaluation) -> tuple[Decimal | None, int]:
    """Mean resident rating (1–5) of the project's closed origin needs, and how many."""
    return need_ratings_by_project([evaluation.project_id]).get(evaluation.project_id, (None, 0))


def need_ratings_by_project(project_ids: list[int]) -> dict[int, tuple[Decimal | None, int]]:
    """The same for many projects: the links first, then the rated closed needs by key (a
    join would let the database walk every closed need of the district)."""
    from wushe.needs.models import Need
    from wushe.needs.workflow import State
    from wushe.projects.models import ProjectNeed

    links = list(ProjectNeed.objects.unscoped(reason="figures: aggregates of rows read in scope").filter(project_id__in=project_ids)
                 .order_by().values_list("project_id", "need_id"))
    rated: dict[int, int] = {}
    need_ids = sorted({n for _p, n in links})
    for start in range(0, len(need_ids), 900):
        scores = (Need.objects.unscoped(reason="figures: aggregates of rows read in scope")
                  .filter(pk__in=need_ids[start:start + 900], state=State.CLOSED,
                          satisfaction__isnull=False)
                  .order_by().values_list("pk", "satisfaction"))
        rated.update((pk, score) for pk, score in scores if score is not None)
    found: dict[int, list[int]] = {}
    for project_id, need_id in links:
        if need_id in rated:
            found.setdefault(project_id, []).append(rated[need_id])
    return {p: (five_to_hundred(Decimal(sum(v)) / len(v)), len(v)) for p, v in found.items()}


def survey_score(evaluation: Evaluation) -> tuple[Decimal | None, int]:
    agg = SurveyResponse.objects.filter(evaluation=evaluation).aggregate(
        avg=Avg("mean"), n=Count("pk"))
    if not agg["n"]:
        return None, 0
    return five_to_hundred(Decimal(str(agg["avg"]))), agg["n"]


def compute(evaluation: Evaluation) -> Result:
    """Everything the committee's sheets, the ratings and the survey say, right now."""
    path = evaluation.region_path
    weights = rules.party_weights(path)
    bands = rules.grade_bands(path)
    members = list(CommitteeMember.objects.filter(evaluation=evaluation))
    totals: dict[str, list[Decimal]] = {p: [] for p in PARTIES}
    seats: dict[str, int] = {p: 0 for p in PARTIES}
    for m in members:
        seats[m.party] += 1
        if m.total is not None:
            totals[m.party].append(m.total)
    scores: dict[str, Decimal | None] = {
        p: q(sum(t, Decimal(0)) / len(t)) if t else None for p, t in totals.items()}
    rec_members = totals[Party.RECIPIENTS]
    recipients, detail = combine_sources(
        {"ratings": need_ratings(evaluation), "survey": survey_score(evaluation),
         "members": (scores[Party.RECIPIENTS], len(rec_members))},
        rules.source_weights(path), rules.min_responses(path))
    scores[Party.RECIPIENTS] = recipients
    pending = sum(1 for m in members if m.total is None)
    result = Result(party_scores=scores, recipients_detail=detail, weights=weights,
                    members_pending=pending)
    for p in PARTIES:
        zh, en = PARTY_NAMES[p]
        if p != Party.RECIPIENTS and not seats[p]:
            result.missing.append((f"委员会缺少“{zh}”成员", f"No member for {en} yet"))
        elif scores[p] is None:
            result.missing.append((f"“{zh}”尚无评分", f"No score yet for {en}"))
    if pending:
        result.missing.append((f"还有{pending}名委员未评分",
                               f"{pending} committee member(s) have not scored"))
    if not result.missing:
        full = {p: s for p, s in scores.items() if s is not None}
        result.total = weighted_total(full, weights)
        result.grade = grade_for(result.total, bands)
        result.suggestion = DECISION_BY_GRADE[result.grade]
    return result
