"""The district's decision, and what it sets off in the projects app.

A decision needs a complete evaluation (every member scored, each party with a score). The
suggestion follows the grade; recording another decision needs a reason. Then, in the same
transaction: projects.services.project_mark_evaluated for the stage, and after a final
evaluation projects.services.project_close (renewed when the decision is renew). An
elimination makes the organisation ineligible for the next purchase cycle through the
eligibility check in hooks.py.

An elimination also moves the organisation to the status eliminated (orgs, a dead end that
ends its rating), in the same transaction (orgs.services.org_eliminate_by_evaluation): the
figure ``orgs.eliminated`` then counts it as ``evaluation.eliminated`` does, and it is no
longer offered needs nor eligible to deliver projects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils import timezone

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.evaluation import access
from wushe.evaluation.audit_codes import EvalAction
from wushe.evaluation.models import Decision, EvalStatus, Evaluation, Stage
from wushe.evaluation.services._common import choice, lock, recompute
from wushe.orgs.services import org_eliminate_by_evaluation
from wushe.projects.services import project_close, project_mark_evaluated

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@service
def evaluation_decide(*, actor: Actor, evaluation: Evaluation, decision: str,
                      reason: object = "") -> Evaluation:
    access.require_manage(actor, evaluation)
    lock(evaluation)
    if evaluation.status == EvalStatus.DECIDED:
        raise Conflict("该评估已作出决定", "The evaluation is already decided",
                       code="illegal_transition")
    decision = choice(decision, Decision, "decision", "评估决定", "Decision")
    result = recompute(evaluation)  # the survey may have moved the recipients' score
    if not result.complete:
        missing_zh = ";".join(zh for zh, _en in result.missing)
        missing_en = "; ".join(en for _zh, en in result.missing)
        raise Conflict(f"评分尚未完成:{missing_zh}", f"Scoring is not complete: {missing_en}",
                       code="not_scored", field="decision")
    why = clean_text(reason, field="reason", label_zh="决定理由", label_en="Reason",
                     max_length=500)
    if decision != result.suggestion and len(why) < 4:
        raise ValidationFailed("决定与建议不一致时须说明理由(至少4个字)",
                               "A decision other than the suggested one needs a reason "
                               "(4 characters or more)", field="reason", code="reason_required")
    evaluation.decision = decision
    evaluation.decision_reason = why
    evaluation.decided_by = user_or_none(actor)
    evaluation.decided_at = timezone.now()
    evaluation.status = EvalStatus.DECIDED
    evaluation.save()
    project = evaluation.project
    project_mark_evaluated(actor=actor, project=project,
                                              stage=evaluation.stage)
    if evaluation.stage == Stage.FINAL:
        project_close(actor=actor, project=project,
                                         renewed=decision == Decision.RENEW,
                                         note=why or evaluation.get_decision_display())
    if decision == Decision.ELIMINATE:
        org_eliminate_by_evaluation(actor=actor, org_id=evaluation.provider_id,
                                    reason=why or "四方评估决定淘汰 / eliminated by the four-party "
                                                  "evaluation", evaluation_id=evaluation.pk)
    audit.record(actor=actor, action=EvalAction.EVALUATION_DECIDED, target=evaluation,
                 label=str(project), data={
                     "decision": decision, "suggested": result.suggestion,
                     "total": str(result.total), "grade": result.grade, "reason": why,
                     "stage": evaluation.stage})
    return evaluation
