"""Audit action codes of the volunteers app (``volunteers.<model>.<verb>``)."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class VolunteerAction(StrEnum):
    TEAM_CREATED = "volunteers.team.created"
    TEAM_UPDATED = "volunteers.team.updated"
    LEADER_APPOINTED = "volunteers.team.leader_appointed"
    VOLUNTEER_REGISTERED = "volunteers.volunteer.registered"
    VOLUNTEER_UPDATED = "volunteers.volunteer.updated"
    VOLUNTEER_LINKED = "volunteers.volunteer.account_linked"
    VOLUNTEER_IMPORTED = "volunteers.volunteer.imported"
    VOLUNTEER_UNMASKED = "volunteers.volunteer.unmasked"
    MEMBERSHIP_ADDED = "volunteers.membership.added"
    MEMBERSHIP_ENDED = "volunteers.membership.ended"
    APPLICATION_SUBMITTED = "volunteers.application.submitted"
    # The same ID number again while its application is pending: answered exactly like a new
    # one (nothing disclosed), recorded here on the pending application, no second row.
    APPLICATION_REPEATED = "volunteers.application.repeated"
    APPLICATION_APPROVED = "volunteers.application.approved"
    APPLICATION_REJECTED = "volunteers.application.rejected"
    ACTIVITY_CREATED = "volunteers.activity.created"
    ACTIVITY_UPDATED = "volunteers.activity.updated"
    ACTIVITY_STATUS_CHANGED = "volunteers.activity.status_changed"
    SIGNUP_CREATED = "volunteers.signup.created"
    SIGNUP_CANCELLED = "volunteers.signup.cancelled"
    SIGNUP_CHECKED_IN = "volunteers.signup.checked_in"
    SIGNUP_CHECKED_OUT = "volunteers.signup.checked_out"
    RECORD_CREATED = "volunteers.record.created"
    RECORD_CONFIRMED = "volunteers.record.confirmed"
    RECORD_REJECTED = "volunteers.record.rejected"
    RECORD_CORRECTED = "volunteers.record.corrected"
    CORRECTION_REQUESTED = "volunteers.correction.requested"
    CORRECTION_DECIDED = "volunteers.correction.decided"
    CERTIFICATE_ISSUED = "volunteers.certificate.issued"
    CERTIFICATE_REVOKED = "volunteers.certificate.revoked"
    CERTIFICATE_DOWNLOADED = "volunteers.certificate.downloaded"
    PAIRING_CREATED = "volunteers.pairing.created"
    PAIRING_ENDED = "volunteers.pairing.ended"
    VISIT_LOGGED = "volunteers.visit.logged"
    EXPORTED = "volunteers.export.downloaded"
    # The national volunteer service record export (national.py): filter, purpose, counts.
    NATIONAL_EXPORTED = "volunteers.national_record.exported"


register(VolunteerAction)
