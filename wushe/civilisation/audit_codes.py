"""Audit action codes of the civilisation-practice app."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class CivilisationAction(StrEnum):
    SITE_CREATED = "civilisation.site.created"
    SITE_NAMES_LINKED = "civilisation.site.names_linked"
    SITE_TEAM_ATTACHED = "civilisation.site.team_attached"
    ACTIVITY_DOMAIN_SET = "civilisation.activity.domain_set"
    PAIRING_CREATED = "civilisation.pairing.created"
    SITE_UPDATED = "civilisation.site.updated"
    PAIRING_UPDATED = "civilisation.pairing.updated"


register(CivilisationAction)
