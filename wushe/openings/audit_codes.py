"""Audit action codes of the opening balances."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class OpeningAction(StrEnum):
    BALANCE_PROPOSED = "openings.balance.proposed"
    BALANCE_APPROVED = "openings.balance.approved"
    BALANCE_REJECTED = "openings.balance.rejected"
    BALANCE_WITHDRAWN = "openings.balance.withdrawn"


register(OpeningAction)
