"""The life of a need: one explicit transition table.

受理 accept → 派单 dispatch → 接单 take → 办理 handle → 办结 resolve → 回访 follow up → 评价 rate,
plus 退单 return, 延期 extend, 督办 escalate, 合并 merge, 重办 reopen, 不予受理 decline, and the
events that keep the state (a supporter taking part, a reminder, a note).

Every service that changes a need calls ``check`` first: an action not allowed from the
current state raises IllegalTransition (both languages) before anything is written.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from wushe.core.errors import IllegalTransition


def _state_name(value: str) -> str:
    zh, en = STATE_NAMES[value]
    return zh if (translation.get_language() or "en").startswith("zh") else en[:1].upper() + en[1:]


def _state_label(value: str) -> Any:
    """A state's label read from STATE_NAMES, the one source of a need state's name: the staff
    queue, the detail page, the API, the public tracking page, Open311 and the SMS all say the
    same (已受理), where gettext gave the staff pages the catalogue's other "Accepted" (已验收, a
    project's acceptance). The English form is the label the migrations hold ("Accepted")."""
    return lazy(_state_name, str)(value)


class State(models.TextChoices):
    SUBMITTED = "submitted", _state_label("submitted")
    ACCEPTED = "accepted", _state_label("accepted")
    DISPATCHED = "dispatched", _state_label("dispatched")
    TAKEN = "taken", _state_label("taken")
    IN_PROGRESS = "in_progress", _state_label("in_progress")
    RESOLVED = "resolved", _state_label("resolved")
    FOLLOWED_UP = "followed_up", _state_label("followed_up")
    CLOSED = "closed", _state_label("closed")
    MERGED = "merged", _state_label("merged")
    DECLINED = "declined", _state_label("declined")


class Action(models.TextChoices):
    SUBMIT = "submit", _("Submitted")
    ACCEPT = "accept", _state_label("accepted")  # the event reads as the state it leads to
    DECLINE = "decline", _("Declined")
    DISPATCH = "dispatch", _("Dispatched")
    ASSIGN = "assign", _("Assignee added")
    TAKE = "take", _("Taken")
    SUPPORT_TAKE = "support_take", _("Supporter took part")
    RETURN = "return", _("Returned")
    SUPPORT_RETURN = "support_return", _("Supporter returned")
    HANDLE = "handle", _("Handling started")
    RESOLVE = "resolve", _("Resolved")
    FOLLOW_UP = "follow_up", _("Followed up")
    RATE = "rate", _("Rated")
    REOPEN = "reopen", _("Reopened")
    EXTEND = "extend", _("Deadline extended")
    ESCALATE = "escalate", _("Escalated")
    MERGE = "merge", _("Merged into another request")
    MERGED_IN = "merged_in", _("A duplicate was merged in")
    REMIND = "remind", _("Deadline reminder")
    NOTE = "note", _("Note")


S = State
OPEN = frozenset({S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.TAKEN, S.IN_PROGRESS})
WORKING = frozenset({S.DISPATCHED, S.TAKEN, S.IN_PROGRESS})
DONE = frozenset({S.RESOLVED, S.FOLLOWED_UP, S.CLOSED})  # 办结 and after
TERMINAL = frozenset({S.MERGED, S.DECLINED})
SAME = None  # the action is recorded but the state stays

# action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str | None]] = {
    Action.ACCEPT: (frozenset({S.SUBMITTED}), S.ACCEPTED),
    Action.DECLINE: (frozenset({S.SUBMITTED}), S.DECLINED),
    Action.DISPATCH: (frozenset({S.ACCEPTED}), S.DISPATCHED),
    Action.ASSIGN: (WORKING, SAME),
    Action.TAKE: (frozenset({S.DISPATCHED}), S.TAKEN),
    Action.SUPPORT_TAKE: (WORKING, SAME),
    Action.RETURN: (WORKING, S.ACCEPTED),
    Action.SUPPORT_RETURN: (WORKING, SAME),
    Action.HANDLE: (frozenset({S.TAKEN}), S.IN_PROGRESS),
    Action.RESOLVE: (frozenset({S.TAKEN, S.IN_PROGRESS}), S.RESOLVED),
    Action.FOLLOW_UP: (frozenset({S.RESOLVED}), S.FOLLOWED_UP),
    Action.RATE: (frozenset({S.RESOLVED, S.FOLLOWED_UP}), S.CLOSED),
    Action.REOPEN: (DONE, S.ACCEPTED),
    Action.EXTEND: (frozenset({S.ACCEPTED}) | WORKING, SAME),
    Action.ESCALATE: (OPEN, SAME),
    Action.MERGE: (frozenset({S.SUBMITTED, S.ACCEPTED}), S.MERGED),
    Action.MERGED_IN: (OPEN | DONE, SAME),
    Action.REMIND: (OPEN, SAME),
    Action.NOTE: (OPEN | DONE, SAME),
}

# Both languages regardless of the active one: errors carry both.
STATE_NAMES: dict[str, tuple[str, str]] = {
    S.SUBMITTED: ("待受理", "awaiting acceptance"), S.ACCEPTED: ("已受理", "accepted"),
    S.DISPATCHED: ("已派单", "dispatched"), S.TAKEN: ("已接单", "taken"),
    S.IN_PROGRESS: ("办理中", "in progress"), S.RESOLVED: ("已办结", "resolved"),
    S.FOLLOWED_UP: ("已回访", "followed up"), S.CLOSED: ("已评价", "rated and closed"),
    S.MERGED: ("已合并", "merged"), S.DECLINED: ("不予受理", "declined"),
}
ACTION_NAMES: dict[str, tuple[str, str]] = {
    Action.SUBMIT: ("提交", "submit"), Action.ACCEPT: ("受理", "accept"),
    Action.DECLINE: ("不予受理", "decline"), Action.DISPATCH: ("派单", "dispatch"),
    Action.ASSIGN: ("增派", "add an assignee"), Action.TAKE: ("接单", "take"),
    Action.SUPPORT_TAKE: ("协办接单", "take part as supporter"), Action.RETURN: ("退单", "return"),
    Action.SUPPORT_RETURN: ("协办退单", "return as supporter"), Action.HANDLE: ("办理", "handle"),
    Action.RESOLVE: ("办结", "resolve"), Action.FOLLOW_UP: ("回访", "follow up"),
    Action.RATE: ("评价", "rate"), Action.REOPEN: ("重新办理", "reopen"),
    Action.EXTEND: ("延期", "extend"), Action.ESCALATE: ("督办", "escalate"),
    Action.MERGE: ("合并", "merge"), Action.MERGED_IN: ("并入", "merge in"),
    Action.REMIND: ("到期提醒", "remind"), Action.NOTE: ("备注", "add a note"),
}

# What the public tracking page says about each event (no names, no notes).
PUBLIC_LABELS: dict[str, tuple[str, str]] = {
    Action.SUBMIT: ("诉求已提交", "Request submitted"),
    Action.ACCEPT: ("社区已受理", "Accepted by the community"),
    Action.DECLINE: ("不予受理", "Not accepted"),
    Action.DISPATCH: ("已派给服务力量办理", "Handed to a service provider"),
    Action.ASSIGN: ("增派服务力量协同办理", "Another provider joined"),
    Action.TAKE: ("服务方已接单", "Taken by the provider"),
    Action.RETURN: ("重新安排服务力量", "Being reassigned"),
    Action.HANDLE: ("正在办理", "Being handled"),
    Action.RESOLVE: ("已办结", "Resolved"),
    Action.FOLLOW_UP: ("已回访", "Followed up"),
    Action.RATE: ("已评价", "Rated"),
    Action.REOPEN: ("重新办理", "Reopened for review"),
    Action.EXTEND: ("办理期限已延长", "Deadline extended"),
    Action.ESCALATE: ("已提级督办", "Escalated for supervision"),
    Action.MERGE: ("已与同类诉求合并办理", "Merged with a similar request"),
}


def target(action: str) -> str | None:
    return TRANSITIONS[action][1]


def allowed(state: str, action: str) -> bool:
    return state in TRANSITIONS[action][0]


def check(state: str, action: str) -> str:
    """The state after ``action``; IllegalTransition if it may not happen from ``state``."""
    sources, to = TRANSITIONS[action]
    if state not in sources:
        s_zh, s_en = STATE_NAMES[state]
        a_zh, a_en = ACTION_NAMES[action]
        raise IllegalTransition(f"诉求当前为「{s_zh}」,不能{a_zh}",
                                f"A request that is {s_en} cannot {a_en}",
                                details=[{"state": state, "action": action}])
    return state if to is SAME else to


def actions_from(state: str) -> list[str]:
    return [a for a, (sources, _to) in TRANSITIONS.items() if state in sources]
