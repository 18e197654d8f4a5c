"""Scores and survey answers: a member's sheet, an anonymous survey sheet."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.core.masking import mask_name
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.evaluation import access, scoring, survey
from wushe.evaluation.audit_codes import EvalAction
from wushe.evaluation.models import CommitteeMember, EvalStatus, Evaluation, Indicator, Score
from wushe.evaluation.services._common import decimal, lock, recompute

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

ScoreInput = dict[int, tuple[object, object]]  # indicator id → (score, comment)


@service
def scores_submit(*, actor: Actor, member: CommitteeMember, scores: ScoreInput) -> CommitteeMember:
    """A member's whole sheet: every indicator, 0..max, a comment each. Submitting again while
    the evaluation is not decided replaces the sheet."""
    evaluation: Evaluation = member.evaluation
    access.require_view(actor, evaluation)  # outside scope: NotFound
    lock(evaluation)
    if not access.may_score(actor, member):
        raise PermissionDenied("您不是该评估委员会中此席位的评分人",
                               "You do not hold this seat on the evaluation committee")
    if evaluation.status == EvalStatus.DECIDED:
        raise Conflict("评估已作出决定,不能再评分", "The evaluation is decided; scoring is closed",
                       code="illegal_transition")
    access.require_no_conflict(actor, evaluation)
    if member.user_id is not None:
        access.require_no_conflict(member.user, evaluation)
    indicators = list(Indicator.objects.filter(indicator_set_id=evaluation.indicator_set_id))
    unknown = set(scores) - {i.pk for i in indicators}
    if unknown:
        raise ValidationFailed("评分包含不属于本指标体系的指标",
                               "The sheet names indicators outside this evaluation's set",
                               field="scores")
    rows = []
    for ind in indicators:
        field = f"score_{ind.pk}"
        if ind.pk not in scores:
            raise ValidationFailed(f"请为“{ind.name}”评分",
                                   f"Enter a score for {ind.name_en or ind.name}",
                                   field=field, code="required")
        raw_score, raw_comment = scores[ind.pk]
        value = decimal(raw_score, field, f"“{ind.name}”", ind.name_en or ind.name,
                        maximum=ind.max_score)
        comment = clean_text(raw_comment, field=f"comment_{ind.pk}", label_zh="评语",
                             label_en="Comment", max_length=500)
        rows.append(Score(member=member, indicator=ind, score=value, comment=comment))
    Score.objects.filter(member=member).delete()
    Score.objects.bulk_create(rows)
    member.total = scoring.sheet_total([(r.score, r.indicator.max_score) for r in rows])
    member.scored_at = timezone.now()
    member.entered_by = user_or_none(actor)
    member.save(update_fields=["total", "scored_at", "entered_by"])
    was = evaluation.status
    result = recompute(evaluation)
    audit.record(actor=actor, action=EvalAction.SCORES_SUBMITTED, target=evaluation,
                 label=mask_name(member.name), data={"member": member.pk, "party": member.party,
                                          "total": str(member.total),
                                          "on_behalf": member.user_id != getattr(actor, "pk", None)})
    if was == EvalStatus.OPEN and result.complete:
        audit.record(actor=actor, action=EvalAction.EVALUATION_SCORED, target=evaluation,
                     data={"total": str(result.total), "grade": result.grade})
    return member


@service
def survey_submit(*, token: str, answers: list[Any], comment: object = "") -> Evaluation:
    """One anonymous survey sheet (no account, nothing personal is kept)."""
    evaluation = Evaluation.objects.filter(survey_token=str(token)[:32]).first()
    if evaluation is None:
        raise NotFound("问卷不存在", "Survey not found")
    lock(evaluation)
    if evaluation.status == EvalStatus.DECIDED:
        raise Conflict("该评估已结束,问卷已关闭", "The evaluation is over; the survey is closed",
                       code="survey_closed")
    clean = survey.clean_answers(answers)
    text = clean_text(comment, field="comment", label_zh="意见建议", label_en="Comment",
                      max_length=500)
    mean = (Decimal(sum(clean)) / len(clean)).quantize(Decimal("0.01"))
    response = evaluation.survey_responses.create(answers=clean, mean=mean, comment=text)
    result = recompute(evaluation)
    audit.record(actor=None, action=EvalAction.SURVEY_ANSWERED, target=evaluation,
                 data={"response": response.pk, "mean": str(mean),
                       "recipients_score": str(result.party_scores.get("recipients"))})
    return evaluation
