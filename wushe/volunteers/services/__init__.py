"""Every write of the volunteers app; one module per concept, re-exported here."""

from wushe.volunteers.guardians import GuardianSpec
from wushe.volunteers.services._register import Registration
from wushe.volunteers.services.activities import (
    activity_create,
    activity_set_status,
    activity_update,
    signup_cancel,
    signup_check_in,
    signup_check_out,
    signup_create,
    signup_qr_check_in,
    signup_qr_check_out,
)
from wushe.volunteers.services.applications import (
    application_approve,
    application_reject,
    application_submit,
)
from wushe.volunteers.services.certificates import (
    certificate_downloaded,
    certificate_issue,
    certificate_revoke,
)
from wushe.volunteers.services.corrections import correction_decide, correction_request
from wushe.volunteers.services.exports import export_recorded
from wushe.volunteers.services.pairing import pairing_create, pairing_end, visit_log
from wushe.volunteers.services.records import (
    record_correct,
    record_create,
    record_reject,
    records_confirm,
)
from wushe.volunteers.services.teams import team_create, team_leader_appoint, team_update
from wushe.volunteers.services.volunteers import (
    membership_add,
    membership_end,
    volunteer_link_user,
    volunteer_register,
    volunteer_update,
)

__all__ = [
    "GuardianSpec", "Registration", "activity_create", "activity_set_status", "activity_update",
    "application_approve", "application_reject", "application_submit", "certificate_downloaded",
    "certificate_issue", "certificate_revoke", "correction_decide", "correction_request",
    "export_recorded",
    "membership_add", "membership_end", "pairing_create", "pairing_end", "record_correct",
    "record_create", "record_reject", "records_confirm", "signup_cancel", "signup_check_in",
    "signup_check_out", "signup_create", "signup_qr_check_in", "signup_qr_check_out",
    "team_create", "team_leader_appoint", "team_update",
    "visit_log", "volunteer_link_user", "volunteer_register", "volunteer_update",
]
