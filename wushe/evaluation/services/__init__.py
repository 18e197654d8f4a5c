"""Writes of the evaluation app: each checks permission first, validates, writes and records
its AuditEvent in one transaction (the @service decorator)."""

from wushe.evaluation.services.decision import evaluation_decide
from wushe.evaluation.services.setup import (
    evaluation_create,
    indicator_set_create,
    member_add,
    member_remove,
)
from wushe.evaluation.services.sheets import scores_submit, survey_submit

__all__ = [
    "evaluation_create",
    "evaluation_decide", "indicator_set_create", "member_add",
    "member_remove", "scores_submit", "survey_submit",
]
