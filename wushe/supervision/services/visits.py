"""Recording a visit (the four checks and the findings), rescheduling it, marking it missed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.calendar import is_workday
from wushe.core.errors import IllegalTransition, ValidationFailed
from wushe.core.services import service
from wushe.orgs import cleaning
from wushe.supervision.audit_codes import SupervisionAction
from wushe.supervision.models import (
    CHECKS,
    CheckResult,
    Supervision,
    VisitStatus,
)
from wushe.supervision.services._common import (
    FINDINGS_MAX,
    MANAGE,
    VIEW,
    note,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MAX_STAFF = 500


def _visit(actor: Actor, supervision: Supervision) -> None:
    scope.require(actor, MANAGE, supervision, view_perm=VIEW)
    if not supervision.is_visit:
        raise IllegalTransition("集中督导和咨询无需排期", "Centralised sessions and consultations "
                                "are recorded, not scheduled", field="kind")


def _clean_checks(values: dict[str, Any], budget: Decimal | None) -> dict[str, Any]:
    """The four checks: a result each; a concern or a problem needs a note saying what."""
    out: dict[str, Any] = {}
    for key, zh, en in CHECKS:
        result = cleaning.choice(values.get(f"{key}_result"), CheckResult, f"{key}_result",
                                 f"{zh}检查结果", f"Result of the check “{en}”")
        text = note(values.get(f"{key}_note"), f"{key}_note", f"{zh}说明", f"Note on “{en}”")
        if result != CheckResult.OK and not text:
            raise ValidationFailed(f"{zh}存在问题时须填写说明",
                                   f"Say what the concern or problem is in “{en}”",
                                   code="required", field=f"{key}_note")
        out[f"{key}_result"], out[f"{key}_note"] = result, text
    out["spent_amount"] = cleaning.money(values.get("spent_amount"), "spent_amount", "已支出金额",
                                         "Amount spent")
    out["staff_on_post"] = cleaning.integer(values.get("staff_on_post"), "staff_on_post",
                                            "在岗人数", "Staff on post", minimum=0,
                                            maximum=MAX_STAFF)
    if budget is not None and out["spent_amount"] is not None and out["spent_amount"] > budget \
            and out["spending_result"] == CheckResult.OK:
        raise ValidationFailed("已支出金额超过项目预算,资金使用检查不能为“正常”",
                               "The amount spent exceeds the budget: the spending check cannot "
                               "be “in order”", field="spending_result")
    return out


@service
def supervision_record(*, actor: Actor, supervision: Supervision, done_on: object,
                       findings: object = "", **checks: Any) -> Supervision:
    """Record a visit that took place: the date (never in the future), the four checks, the
    findings. A visit already recorded is not recorded again."""
    _visit(actor, supervision)
    if supervision.status == VisitStatus.DONE:
        raise IllegalTransition("该督导已记录", "This visit has already been recorded",
                                field="done_on")
    day = cleaning.date(done_on, "done_on", "督导日期", "Date of the visit", required=True)
    budget = supervision.project.budget if supervision.project is not None else None
    values = _clean_checks(checks, budget)
    values["findings"] = note(findings, "findings", "督导发现", "Findings",
                              max_length=FINDINGS_MAX)
    for name, value in values.items():
        setattr(supervision, name, value)
    supervision.done_on, supervision.status = day, VisitStatus.DONE
    supervision.supervisor = user_or_none(actor)
    supervision.save()
    audit.record(actor=actor, action=SupervisionAction.VISIT_RECORDED, target=supervision,
                 label=str(supervision),
                 data={"kind": supervision.kind, "done_on": str(day),
                       "scheduled_on": str(supervision.scheduled_on),
                       **{f"{key}_result": values[f"{key}_result"] for key, _zh, _en in CHECKS}})
    return supervision


@service
def supervision_reschedule(*, actor: Actor, supervision: Supervision, scheduled_on: object,
                           reason: object) -> Supervision:
    """Move a planned (or missed) visit to another working day, today or later, with a reason."""
    _visit(actor, supervision)
    if supervision.status == VisitStatus.DONE:
        raise IllegalTransition("已完成的督导不能改期", "A visit that took place cannot be "
                                "rescheduled", field="scheduled_on")
    day = cleaning.date(scheduled_on, "scheduled_on", "新日期", "New date", required=True,
                        not_future=False)
    assert day is not None
    if day < dt.date.today():
        raise ValidationFailed("新日期不能早于今天", "The new date cannot be in the past",
                               code="date_past", field="scheduled_on")
    if not is_workday(day):
        raise ValidationFailed("新日期须为工作日", "The new date must be a working day",
                               code="not_workday", field="scheduled_on")
    why = note(reason, "reason", "改期原因", "Reason", required=True, max_length=500)
    old = {"scheduled_on": str(supervision.scheduled_on), "status": supervision.status}
    supervision.scheduled_on, supervision.status = day, VisitStatus.PLANNED
    supervision.save(update_fields=["scheduled_on", "status", "updated_at"])
    audit.record(actor=actor, action=SupervisionAction.VISIT_RESCHEDULED, target=supervision,
                 label=str(supervision),
                 data={**audit.diff(old, {"scheduled_on": str(day), "status": "planned"}),
                       "reason": why})
    return supervision


@service
def supervision_miss(*, actor: Actor, supervision: Supervision, reason: object) -> Supervision:
    """Close an overdue visit as missed (it did not take place), with a reason."""
    _visit(actor, supervision)
    if not supervision.is_overdue:
        raise IllegalTransition("只有逾期未完成的督导可标记为未开展",
                                "Only an overdue visit can be marked as missed", field="status")
    why = note(reason, "reason", "原因", "Reason", required=True, max_length=500)
    supervision.status = VisitStatus.MISSED
    supervision.save(update_fields=["status", "updated_at"])
    audit.record(actor=actor, action=SupervisionAction.VISIT_MISSED, target=supervision,
                 label=str(supervision), data={"reason": why,
                                               "scheduled_on": str(supervision.scheduled_on)})
    return supervision
