"""Audit action codes of the needs app (app.model.verb)."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class NeedsAction(StrEnum):
    NEED_SUBMITTED = "needs.need.submitted"
    NEED_IMPORTED = "needs.need.imported"
    NEED_ACCEPTED = "needs.need.accepted"
    NEED_DECLINED = "needs.need.declined"
    NEED_DISPATCHED = "needs.need.dispatched"
    NEED_HANDLED = "needs.need.handled"
    NEED_RESOLVED = "needs.need.resolved"
    NEED_FOLLOWED_UP = "needs.need.followed_up"
    NEED_RATED = "needs.need.rated"
    NEED_REOPENED = "needs.need.reopened"
    NEED_EXTENDED = "needs.need.extended"
    NEED_ESCALATED = "needs.need.escalated"
    NEED_REMINDED = "needs.need.reminded"
    NEED_MERGED = "needs.need.merged"
    NEED_NOTED = "needs.need.noted"
    NEED_GROUPED = "needs.need.grouped"  # put in (or taken out of) a common problem
    NEED_UNMASKED = "needs.need.unmasked"
    NEED_MENU_EXPORTED = "needs.need.menu_exported"
    ASSIGNMENT_CREATED = "needs.assignment.created"
    ASSIGNMENT_TAKEN = "needs.assignment.taken"
    ASSIGNMENT_RETURNED = "needs.assignment.returned"
    ASSIGNMENT_DONE = "needs.assignment.done"
    # A resident's SMS subscription: a code sent, the phone proven, a wrong code, locked.
    SMS_CODE_SENT = "needs.subscription.code_sent"
    SMS_CONFIRMED = "needs.subscription.confirmed"
    SMS_CODE_WRONG = "needs.subscription.code_wrong"
    SMS_LOCKED = "needs.subscription.locked"
    IDEA_SUBMITTED = "needs.idea.submitted"
    IDEA_COMMENTED = "needs.idea.commented"
    IDEA_ADOPTED = "needs.idea.adopted"
    IDEA_REJECTED = "needs.idea.rejected"
    # 自治金: the budget, residents' support (code sent, confirmed, wrong), paper support, money.
    BUDGET_SET = "needs.budget.set"
    SUPPORT_CODE_SENT = "needs.support.code_sent"
    SUPPORT_CONFIRMED = "needs.support.confirmed"
    SUPPORT_CODE_WRONG = "needs.support.code_wrong"
    SUPPORT_PAPER_RECORDED = "needs.support.paper_recorded"
    IDEA_ALLOCATED = "needs.idea.allocated"


register(NeedsAction)
