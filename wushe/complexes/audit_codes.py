"""Audit action codes of the community-complex app."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class ComplexAction(StrEnum):
    COMPLEX_CREATED = "complexes.complex.created"
    LINE_ADDED = "complexes.line.added"
    REPORT_SUBMITTED = "complexes.report.submitted"
    REPORT_APPROVED = "complexes.report.approved"
    REPORT_REJECTED = "complexes.report.rejected"


register(ComplexAction)
