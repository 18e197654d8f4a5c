"""Audit action codes of the workforce app."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class WorkforceAction(StrEnum):
    SOCIAL_WORKER_CREATED = "workforce.socialworker.created"
    SOCIAL_WORKER_UPDATED = "workforce.socialworker.updated"
    SOCIAL_WORKER_IMPORTED = "workforce.socialworker.imported"
    TRAINING_RECORDED = "workforce.training.recorded"
    COMMUNITY_WORKER_CREATED = "workforce.communityworker.created"
    COMMUNITY_WORKER_UPDATED = "workforce.communityworker.updated"
    COMMUNITY_WORKER_REGRADED = "workforce.communityworker.regraded"
    COMMUNITY_WORKER_IMPORTED = "workforce.communityworker.imported"
    APPRAISAL_RECORDED = "workforce.appraisal.recorded"
    ADJUSTMENT_OPENED = "workforce.adjustment.opened"
    ADJUSTMENT_PROPOSED = "workforce.adjustment.proposed"
    ADJUSTMENT_APPROVED = "workforce.adjustment.approved"
    ADJUSTMENT_REJECTED = "workforce.adjustment.rejected"
    ADJUSTMENT_RECORDED = "workforce.adjustment.recorded"
    STAFFING_EXPORTED = "workforce.staffing.exported"
    WORKERS_EXPORTED = "workforce.workers.exported"


register(WorkforceAction)
