"""Every write of the needs app. Import from here: ``from wushe.needs import services``."""

from wushe.needs.services.assign import (
    AssignmentSpec,
    assignment_finish_by_record,
    assignment_return,
    assignment_take,
    assignment_take_by_record,
    assignment_withdraw_by_record,
    need_dispatch,
)
from wushe.needs.services.ideas import idea_comment, idea_decide, idea_submit, idea_submit_public
from wushe.needs.services.intake import Submitted, need_intake, need_submit_public
from wushe.needs.services.subscription import need_sms_code_check, need_sms_code_resend
from wushe.needs.services.workflow import (
    need_accept,
    need_decline,
    need_escalate,
    need_extend,
    need_follow_up,
    need_handle,
    need_merge,
    need_note,
    need_rate_public,
    need_reopen,
    need_resolve,
    need_unmask,
)

__all__ = [
    "AssignmentSpec", "Submitted", "assignment_finish_by_record", "assignment_return",
    "assignment_take", "assignment_take_by_record", "assignment_withdraw_by_record", "idea_comment",
    "idea_decide", "idea_submit", "idea_submit_public", "need_accept", "need_decline",
    "need_dispatch", "need_escalate", "need_extend", "need_follow_up", "need_handle",
    "need_intake", "need_merge", "need_note", "need_rate_public", "need_reopen", "need_resolve",
    "need_sms_code_check", "need_sms_code_resend", "need_submit_public", "need_unmask",
]
