"""Audit action codes of the organisations app."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class OrgAction(StrEnum):
    ORG_CREATED = "orgs.org.created"
    ORG_UPDATED = "orgs.org.updated"
    ORG_STATUS_CHANGED = "orgs.org.status_changed"
    ORG_IMPORTED = "orgs.org.imported"
    ORG_EXPORTED = "orgs.org.exported"
    ORG_CONTACT_UNMASKED = "orgs.org.contact_unmasked"
    MEMBER_ADDED = "orgs.member.added"
    MEMBER_REMOVED = "orgs.member.removed"
    PROJECT_ADDED = "orgs.project.added"
    PROJECT_UPDATED = "orgs.project.updated"
    HONOUR_ADDED = "orgs.honour.added"
    RATING_AWARDED = "orgs.rating.awarded"
    INCUBATION_STARTED = "orgs.incubation.started"
    INCUBATION_UPDATED = "orgs.incubation.updated"
    INCUBATION_STAGE_CHANGED = "orgs.incubation.stage_changed"
    ISSUE_RECORDED = "orgs.issue.recorded"
    ISSUE_RESOLVED = "orgs.issue.resolved"
    FOLLOW_UP_RECORDED = "orgs.followup.recorded"
    ASSESSMENT_RECORDED = "orgs.assessment.recorded"
    AGREEMENT_RECORDED = "orgs.agreement.recorded"
    AGREEMENT_DOCUMENT_READ = "orgs.agreement.document_read"


register(OrgAction)
