"""Audit action codes of the party-centre renovation programme."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class RenovationAction(StrEnum):
    PROGRAMME_CREATED = "renovation.programme.created"
    SITE_ADDED = "renovation.site.added"
    CONTRACT_SET = "renovation.site.contract_set"
    SITE_ADVANCED = "renovation.site.advanced"
    SITE_REOPENED = "renovation.site.reopened"
    SPENDING_RECORDED = "renovation.spending.recorded"
    SPENDING_OVERRIDDEN = "renovation.spending.overridden"
    DOCUMENT_ADDED = "renovation.document.added"
    DOCUMENT_READ = "renovation.document.read"


register(RenovationAction)
