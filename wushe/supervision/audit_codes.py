"""Audit action codes of the supervision app."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class SupervisionAction(StrEnum):
    SCHEDULE_GENERATED = "supervision.schedule.generated"
    VISIT_RECORDED = "supervision.visit.recorded"
    VISIT_RESCHEDULED = "supervision.visit.rescheduled"
    VISIT_MISSED = "supervision.visit.missed"
    SESSION_RECORDED = "supervision.session.recorded"
    RECTIFICATION_ADDED = "supervision.rectification.added"
    RECTIFICATION_CLOSED = "supervision.rectification.closed"
    RECORDS_EXPORTED = "supervision.records.exported"


register(SupervisionAction)
