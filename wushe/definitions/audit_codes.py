"""Audit action codes of the KPI dictionary (统计口径)."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class DefinitionAction(StrEnum):
    VERSION_PROPOSED = "definitions.version.proposed"
    VERSION_APPROVED = "definitions.version.approved"
    VERSION_EXPORTED = "definitions.version.exported"


register(DefinitionAction)
