"""What the evaluation services share: input cleaning, recomputing an evaluation."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from wushe.core.errors import ValidationFailed
from wushe.core.ids import identifier_text
from wushe.evaluation import scoring
from wushe.evaluation.models import PARTIES, EvalStatus, Evaluation


def choice(value: object, choices: Any, field: str, zh: str, en: str) -> str:
    text = str(value or "").strip()
    if text not in choices.values:
        raise ValidationFailed(f"{zh}不正确", f"{en} is not valid", field=field)
    return text


def decimal(value: object, field: str, zh: str, en: str, *, maximum: Decimal) -> Decimal:
    """A score: 0 ≤ value ≤ maximum, at most one decimal place; full-width digits accepted."""
    if value is None or str(value).strip() == "":
        raise ValidationFailed(f"请填写{zh}的得分", f"Enter a score for {en}", field=field,
                               code="required")
    if isinstance(value, float):
        value = repr(value)
    try:
        number = Decimal(identifier_text(value, what_zh=f"{zh}的得分", what_en=f"score for {en}",
                                         field=field))
    except InvalidOperation:
        raise ValidationFailed(f"{zh}的得分须为数字", f"The score for {en} must be a number",
                               field=field) from None
    if not number.is_finite() or number < 0 or number > maximum:
        raise ValidationFailed(f"{zh}的得分须在0到{maximum:g}之间",
                               f"The score for {en} must be between 0 and {maximum:g}",
                               field=field, code="out_of_range")
    if number != number.quantize(Decimal("0.1")):
        raise ValidationFailed(f"{zh}的得分最多保留一位小数",
                               f"The score for {en} may have at most one decimal place",
                               field=field)
    return number.quantize(Decimal("0.1"))


def lock(evaluation: Evaluation) -> Evaluation:
    """Hold the evaluation's row for the rest of the transaction and read it afresh: two
    sheets submitted at the same moment are then computed one after the other."""
    fresh = Evaluation.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=evaluation.pk)
    for f in Evaluation._meta.concrete_fields:
        setattr(evaluation, f.attname, getattr(fresh, f.attname))
    return evaluation


def recompute(evaluation: Evaluation) -> scoring.Result:
    """Store what the sheets say now; open ↔ scored follows completeness (never once decided)."""
    result = scoring.compute(evaluation)
    for party in PARTIES:
        setattr(evaluation, f"{party}_score", result.party_scores[party])
    evaluation.recipients_detail = result.recipients_detail
    evaluation.weights = [str(w) for w in result.weights]
    if evaluation.status != EvalStatus.DECIDED:
        evaluation.total = result.total
        evaluation.grade = result.grade
        evaluation.suggested_decision = result.suggestion
        if result.complete and evaluation.status == EvalStatus.OPEN:
            evaluation.status = EvalStatus.SCORED
            evaluation.scored_at = timezone.now()
        elif not result.complete:
            evaluation.status = EvalStatus.OPEN
            evaluation.scored_at = None
    evaluation.save()
    return result
