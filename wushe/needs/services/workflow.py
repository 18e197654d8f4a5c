"""The steps of a need after intake (except dispatching, in services/assign.py).

Each service: lock the need, check the permission, check the transition table, write, record
the NeedEvent and the AuditEvent, all in one transaction. A refusal changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts.actor import signed_in, user_or_none
from wushe.audit import recorder as audit
from wushe.core.calendar import add_workdays, workdays_between
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.needs import access, perms, sla, workflow
from wushe.needs import rules as need_rules
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.codes import normalize_code
from wushe.needs.models import FollowUp, FollowUpMethod, Need
from wushe.needs.services._common import (
    event,
    finish_assignments,
    lock,
    refresh_societies,
    step,
)
from wushe.needs.workflow import OPEN, Action, State
from wushe.regions import rules

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor, MaybeActor


def _text(value: object, field: str, zh: str, en: str, *, required: bool = False,
          size: int = 500) -> str:
    return clean_text(value, field=field, label_zh=zh, label_en=en, max_length=size,
                      required=required)


@service
def need_accept(*, actor: Actor, need: Need, note: object = "") -> Need:
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need)
    need.accepted_at = timezone.now()
    step(need, Action.ACCEPT, actor=actor, audit_action=NeedsAction.NEED_ACCEPTED,
         note=_text(note, "note", "说明", "Note"), fields=("accepted_at",))
    return need


@service
def need_decline(*, actor: Actor, need: Need, reason: object) -> Need:
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need)
    need.decline_reason = _text(reason, "reason", "不予受理的理由", "Reason", required=True, size=200)
    need.closed_at = timezone.now()
    # The reason is free text: in the (encrypted) event note, not in the audit log.
    step(need, Action.DECLINE, actor=actor, audit_action=NeedsAction.NEED_DECLINED,
         note=need.decline_reason, fields=("decline_reason", "closed_at"))
    return need


@service
def need_handle(*, actor: Actor, need: Need, note: object = "") -> Need:
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need, or_lead=True)
    step(need, Action.HANDLE, actor=actor, audit_action=NeedsAction.NEED_HANDLED,
         note=_text(note, "note", "办理情况", "Progress"))
    return need


@service
def need_resolve(*, actor: Actor, need: Need, result: object) -> Need:
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need, or_lead=True)
    need.result = _text(result, "result", "办理结果", "Result", required=True, size=2000)
    now = timezone.now()
    need.resolved_at = now
    need.resolved_on_time = timezone.localdate(now) <= need.due_on
    step(need, Action.RESOLVE, actor=actor, audit_action=NeedsAction.NEED_RESOLVED,
         data={"on_time": need.resolved_on_time},
         fields=("result", "resolved_at", "resolved_on_time"))
    finish_assignments(need, actor=actor)
    refresh_societies(need)
    return need


def _rating(value: object) -> int:
    try:
        score = int(str(value))
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise ValidationFailed("满意度为1–5分", "Satisfaction is a score from 1 to 5",
                               code="rating_range", field="score")
    return score


def _rate(need: Need, *, actor: MaybeActor, score: int, comment: str, method: str) -> Need:
    """Record the rating; a poor one (≤ needs.poor_rating_max) reopens the need for review."""
    workflow.check(need.state, Action.RATE)
    FollowUp.objects.create(need=need, region_path=need.region_path, by=user_or_none(actor),
                            method=method, satisfaction=score, comment=comment)
    need.satisfaction = score
    need.closed_at = timezone.now()
    step(need, Action.RATE, actor=actor, audit_action=NeedsAction.NEED_RATED,
         data={"score": score, "method": method}, fields=("satisfaction", "closed_at"))
    if score <= int(rules.value(need_rules.POOR_RATING.key, need.region_path)):
        _reopen(need, actor=None, reason="评价不满意,重新办理复核 / Poor rating: reopened for review",
                data={"score": score, "auto": True})
    return need


def _reopen(need: Need, *, actor: MaybeActor, reason: str, data: dict[str, Any]) -> None:
    need.reopened_count += 1
    need.closed_at = None
    need.resolved_at = None
    # A fresh deadline from today: the review is a new piece of work with the same category.
    need.due_on = sla.due_date(timezone.now(), need.category, need.urgency, need.region_path)
    need.reminded_for = None
    step(need, Action.REOPEN, actor=actor, audit_action=NeedsAction.NEED_REOPENED, note=reason,
         data=data, fields=("reopened_count", "closed_at", "resolved_at", "due_on",
                            "reminded_for"))


@service
def need_follow_up(*, actor: Actor, need: Need, method: str, note: object = "",
                   score: object = None) -> Need:
    """回访 by staff: a call or visit; with a score it is also the resident's rating."""
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need)
    if method not in (FollowUpMethod.CALL, FollowUpMethod.VISIT, FollowUpMethod.SMS):
        raise ValidationFailed("回访方式无效", "Unknown follow-up method", field="method")
    comment = _text(note, "note", "回访记录", "Follow-up notes", size=1000)
    if need.state == State.RESOLVED:
        step(need, Action.FOLLOW_UP, actor=actor, audit_action=NeedsAction.NEED_FOLLOWED_UP,
             note=comment, data={"method": method})
        if score in (None, ""):
            FollowUp.objects.create(need=need, region_path=need.region_path, by=signed_in(actor),
                                    method=method, comment=comment)
    elif score in (None, ""):
        step(need, Action.FOLLOW_UP, actor=actor, audit_action=NeedsAction.NEED_FOLLOWED_UP)
    if score not in (None, ""):
        _rate(need, actor=actor, score=_rating(score), comment=comment, method=method)
    return need


@service
def need_rate_public(*, tracking_code: object, score: object, comment: object = "") -> Need:
    """The resident rates by tracking code (no account). Once: a closed need is rated."""
    code = normalize_code(tracking_code)
    found = (Need.objects.unscoped(reason="public: a tracking code, nothing personal")
             .filter(tracking_code=code).first())
    if found is None:
        raise NotFound("查询码不存在", "No request has this tracking code")
    need = lock(found)
    return _rate(need, actor=None, score=_rating(score),
                 comment=_text(comment, "comment", "评价意见", "Comment", size=500),
                 method=FollowUpMethod.ONLINE)


@service
def need_reopen(*, actor: Actor, need: Need, reason: object) -> Need:
    need = lock(need)
    access.require(actor, perms.NEED_SUPERVISE, need)
    _reopen(need, actor=actor, reason=_text(reason, "reason", "重新办理的理由", "Reason",
                                            required=True, size=200), data={})
    return need


@service
def need_extend(*, actor: Actor, need: Need, days: object, reason: object,
                today: dt.date | None = None) -> Need:
    """延期: asked for before the deadline passes, at most needs.extension_max_count times,
    by at most needs.extension_max_days working days."""
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need, or_lead=True)
    workflow.check(need.state, Action.EXTEND)
    today = today or timezone.localdate()
    if today > sla.extension_allowed_until(need.due_on):
        raise Conflict("已超过办理期限,不能再申请延期(请督办)",
                       "The deadline has passed; an extension must be asked for before it",
                       code="extension_too_late")
    most = int(rules.value(need_rules.EXTENSION_MAX_COUNT.key, need.region_path))
    if need.extensions >= most:
        raise Conflict(f"每件诉求最多延期{most}次", f"A need may be extended at most {most} time(s)",
                       code="extension_limit")
    try:
        n = int(str(days))
    except (TypeError, ValueError):
        n = 0
    longest = int(rules.value(need_rules.EXTENSION_MAX_DAYS.key, need.region_path))
    if not 1 <= n <= longest:
        raise ValidationFailed(f"延期天数为1–{longest}个工作日", f"Extend by 1 to {longest} working days",
                               field="days")
    old = need.due_on
    need.due_on = add_workdays(old, n)
    need.extensions += 1
    need.reminded_for = None
    step(need, Action.EXTEND, actor=actor, audit_action=NeedsAction.NEED_EXTENDED,
         note=_text(reason, "reason", "延期理由", "Reason", required=True, size=200),
         data={"from": old.isoformat(), "to": need.due_on.isoformat(), "days": n},
         fields=("due_on", "extensions", "reminded_for"))
    return need


@service
def need_escalate(*, actor: Actor, need: Need, reason: object) -> Need:
    """督办 by hand: community → street → district."""
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need)
    workflow.check(need.state, Action.ESCALATE)
    if need.escalation_level >= sla.LEVEL_DISTRICT:
        raise Conflict("已提级至区级督办", "The need is already escalated to the district",
                       code="escalation_max")
    need.escalation_level += 1
    step(need, Action.ESCALATE, actor=actor, audit_action=NeedsAction.NEED_ESCALATED,
         note=_text(reason, "reason", "督办理由", "Reason", required=True, size=200),
         data={"level": need.escalation_level, "auto": False}, fields=("escalation_level",))
    return need


@service
def need_escalate_auto(*, need_id: int, level: int, today: dt.date) -> bool:
    """The SLA job's escalation (its own transaction); False when nothing to do."""
    need = (Need.objects.unscoped(reason="job: runs over every region").select_for_update()
            .filter(pk=need_id).first())
    if need is None or need.state not in OPEN or need.escalation_level >= level:
        return False
    need.escalation_level = level
    late = workdays_between(need.due_on, today)
    step(need, Action.ESCALATE, actor=None, audit_action=NeedsAction.NEED_ESCALATED,
         note="超期自动督办 / Overdue: escalated automatically",
         data={"level": level, "auto": True, "overdue_workdays": late},
         fields=("escalation_level",))
    return True


@service
def need_remind(*, need_id: int, due_on: dt.date) -> bool:
    """The SLA job's reminder before the deadline; False when nothing to do."""
    need = (Need.objects.unscoped(reason="job: runs over every region").select_for_update()
            .filter(pk=need_id).first())
    if need is None or need.state not in OPEN or need.due_on != due_on or \
            need.reminded_for == due_on:
        return False
    need.reminded_for = due_on
    step(need, Action.REMIND, actor=None, audit_action=NeedsAction.NEED_REMINDED,
         data={"due_on": due_on.isoformat()}, fields=("reminded_for",))
    return True


@service
def need_merge(*, actor: Actor, need: Need, into: Need, note: object = "") -> Need:
    """A duplicate joins the need it repeats; its resident follows the other's progress."""
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need)
    target = lock(into)
    access.require(actor, perms.NEED_HANDLE, target)
    if target.pk == need.pk or target.state in (State.MERGED, State.DECLINED):
        raise ValidationFailed("只能合并到另一件有效的诉求", "Merge into another live need", field="into")
    if target.community_id != need.community_id:
        raise ValidationFailed("只能合并同一社区的诉求", "Only needs of the same community can be merged",
                               field="into")
    need.merged_into = target
    need.closed_at = timezone.now()
    text = _text(note, "note", "说明", "Note")
    step(need, Action.MERGE, actor=actor, audit_action=NeedsAction.NEED_MERGED, note=text,
         data={"into": target.tracking_code}, fields=("merged_into", "closed_at"))
    event(target, actor=actor, action=Action.MERGED_IN, from_state=target.state,
          to_state=target.state, data={"from": need.tracking_code})
    return need


@service
def need_note(*, actor: Actor, need: Need, note: object) -> Need:
    need = lock(need)
    access.require(actor, perms.NEED_HANDLE, need, or_assignee=True)
    step(need, Action.NOTE, actor=actor, audit_action=NeedsAction.NEED_NOTED,
         note=_text(note, "note", "备注", "Note", required=True, size=1000))
    return need


@service
def need_unmask(*, actor: Actor, need: Need, field: str, purpose: object) -> str:
    """The requester's name or phone in clear, after a stated purpose (recorded)."""
    if not access.may_see(actor, need):
        raise NotFound()
    access.require(actor, perms.CARE_UNMASK, need)
    if field not in ("contact_name", "contact_phone"):
        raise ValidationFailed("该字段不可查看", "This field cannot be revealed", field="field")
    text = _text(purpose, "purpose", "查看事由", "Purpose", required=True, size=200)
    if len(text) < 4:
        raise ValidationFailed("请具体说明查看事由(至少4个字)",
                               "State the purpose of viewing (at least 4 characters)",
                               code="purpose_too_short", field="purpose")
    audit.pii_access(actor=actor, subject=need, field=field, purpose=text)
    audit.record(actor=actor, action=NeedsAction.NEED_UNMASKED, target=need,
                 label=need.tracking_code, data={"field": field, "purpose": text})
    return str(getattr(need, field) or "")
