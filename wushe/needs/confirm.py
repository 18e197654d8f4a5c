"""A resident's SMS code, entered: the check is a service (its own transaction, audited) that
returns a wrong code's refusal instead of raising it, and the refusal is raised here, after that
transaction committed, so the wrong try stays counted (and enough of them lock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.needs.services import budget, subscription

if TYPE_CHECKING:
    from wushe.needs.models import IdeaSupport, NeedSubscription


def need_sms_confirm(*, tracking_code: object, code: object) -> NeedSubscription:
    """The resident proves the phone of a need's SMS subscription (no account)."""
    sub, refusal = subscription.need_sms_code_check(tracking_code=tracking_code, code=code)
    if refusal is not None:
        raise refusal  # after the commit: the wrong try stays counted
    return sub


def idea_support_confirm(*, token: object, code: object) -> IdeaSupport:
    """The resident proves the phone that supports an idea (once a phone)."""
    sup, refusal = budget.idea_support_code_check(token=token, code=code)
    if refusal is not None:
        raise refusal  # after the commit: the wrong try stays counted
    return sup
