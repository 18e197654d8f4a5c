"""Audit action codes of the residents app (app.model.verb)."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class ResidentsAction(StrEnum):
    PROFILE_CREATED = "residents.profile.created"
    PROFILE_UPDATED = "residents.profile.updated"
    PROFILE_CLOSED = "residents.profile.closed"
    PROFILE_UNMASKED = "residents.profile.unmasked"
    PROFILE_IMPORTED = "residents.profile.imported"
    LEDGER_CREATED = "residents.ledger.created"
    LEDGER_UPDATED = "residents.ledger.updated"
    LEDGER_MEMBER_ADDED = "residents.ledger.member_added"
    LEDGER_MEMBER_REMOVED = "residents.ledger.member_removed"
    LEDGER_EXPORTED = "residents.ledger.exported"
    LEDGER_IMPORTED = "residents.ledger.imported"


register(ResidentsAction)
