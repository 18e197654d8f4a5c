"""Audit action codes of the evaluation app."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class EvalAction(StrEnum):
    INDICATOR_SET_CREATED = "evaluation.indicator_set.created"
    EVALUATION_CREATED = "evaluation.evaluation.created"
    EVALUATION_SCORED = "evaluation.evaluation.scored"
    EVALUATION_DECIDED = "evaluation.evaluation.decided"
    EVALUATION_EXPORTED = "evaluation.evaluation.exported"
    MEMBER_ADDED = "evaluation.member.added"
    MEMBER_REMOVED = "evaluation.member.removed"
    SCORES_SUBMITTED = "evaluation.score.submitted"
    SURVEY_ANSWERED = "evaluation.survey.answered"


register(EvalAction)
