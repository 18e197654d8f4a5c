"""Dispatch (派单) and the assignments of the linkage: one lead, any supporters, from whichever
societies have registered a provider; each assignee takes (接单) or returns (退单) its part."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.core.money import parse_money
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.needs import access, linkage, perms, workflow
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.linkage import without_agreement
from wushe.needs.models import (
    ACTIVE_ASSIGNMENT,
    Assignment,
    AssignmentRole,
    AssignmentState,
    Need,
)
from wushe.needs.services._common import lock, refresh_societies, step
from wushe.needs.workflow import Action, State

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MAX_ASSIGNMENTS = 10


@dataclass(frozen=True)
class AssignmentSpec:
    society: str
    object_id: str
    role: str = AssignmentRole.SUPPORT
    # For a charity fund: the amount to request (the fund's side makes a disbursement request).
    amount: object = None

    def as_dict(self) -> dict[str, str]:
        out = {"society": self.society, "object_id": self.object_id, "role": self.role}
        if self.amount not in (None, ""):
            out["amount"] = str(self.amount)
        return out


def _check_specs(need: Need, specs: list[AssignmentSpec], *, lead_needed: bool) -> None:
    if not specs:
        raise ValidationFailed("请至少选择一个承办方", "Choose at least one assignee",
                               field="assignments")
    if len(specs) > MAX_ASSIGNMENTS:
        raise ValidationFailed(f"一次最多派给{MAX_ASSIGNMENTS}个承办方",
                               f"At most {MAX_ASSIGNMENTS} assignees at once", field="assignments")
    leads = [s for s in specs if s.role == AssignmentRole.LEAD]
    if any(s.role not in AssignmentRole.values for s in specs):
        raise ValidationFailed("承办角色应为主办或协办", "The role is lead or support", field="assignments")
    if lead_needed and len(leads) != 1:
        raise ValidationFailed("须指定且只能指定一个主办方", "Choose exactly one lead assignee",
                               code="one_lead", field="assignments")
    if not lead_needed and leads:
        raise ValidationFailed("已有主办方,只能增派协办方", "There is a lead already; add supporters only",
                               code="one_lead", field="assignments")
    keys = [(s.society, s.object_id) for s in specs]
    if len(set(keys)) != len(keys):
        raise ValidationFailed("承办方重复", "The same assignee is chosen twice", field="assignments")
    active = set(Assignment.objects.unscoped(reason="children of a row read in scope").filter(need_id=need.pk, state__in=ACTIVE_ASSIGNMENT)
                 .values_list("society", "object_id"))
    if active & set(keys):
        raise Conflict("该承办方已在办理此诉求", "This assignee is already working on the need",
                       code="already_assigned", field="assignments")


def _amount(spec: AssignmentSpec) -> Decimal | None:
    """A fund is asked for money: the amount is required for a fund, refused for others."""
    given = spec.amount not in (None, "")
    if spec.society != linkage.Society.FUND:
        if given:
            raise ValidationFailed("只有慈善基金承办方可以填写申请金额",
                                   "Only a charity fund is asked for an amount", field="amount")
        return None
    if not given:
        raise ValidationFailed("派给慈善基金时须填写申请金额",
                               "Give the amount to request from the charity fund",
                               code="amount_required", field="amount")
    return parse_money(spec.amount, field="amount", label_zh="申请金额", label_en="Amount requested")


def _create(need: Need, spec: AssignmentSpec, *, actor: Actor) -> Assignment:
    provider = linkage.get(spec.society)
    if provider is None:
        raise ValidationFailed("该类承办方尚未接入", "No provider is registered for this society",
                               code="no_provider", field="assignments")
    chosen = provider.candidate(need, spec.object_id)
    if chosen is None:
        raise ValidationFailed("所选承办方不存在或不符合条件", "The chosen assignee does not exist or is not eligible",
                               code="not_eligible", field="assignments")
    amount = _amount(spec)
    assignment = Assignment.objects.create(
        need=need, region_path=need.region_path, society=spec.society,
        object_id=spec.object_id, label=chosen.label[:200], role=spec.role,
        user_id=chosen.user_id, score=chosen.score, requested_amount=amount,
        reasons=[p.as_dict() for p in chosen.parts], assigned_by=signed_in(actor))
    ref = provider.on_assign(assignment, actor=actor)
    if ref:
        assignment.external_ref = str(ref)[:80]
        assignment.save(update_fields=["external_ref"])
    audit.record(actor=actor, action=NeedsAction.ASSIGNMENT_CREATED, target=assignment,
                 label=need.tracking_code, data={**spec.as_dict(), "label": assignment.label,
                                                 "external_ref": assignment.external_ref})
    return assignment


def _check_agreements(need: Need, specs: list[AssignmentSpec]) -> None:
    """Refuse, before any write, to hand a need with personal data to an organisation without
    an entrusted-processing agreement in force today (409, naming the organisation)."""
    missing = without_agreement(need, [(s.society, s.object_id) for s in specs])
    for spec in specs:
        if (spec.society, spec.object_id) not in missing:
            continue
        provider = linkage.get(spec.society)
        chosen = provider.candidate(need, spec.object_id) if provider is not None else None
        if chosen is None:
            continue  # not eligible at all: _create says so
        raise Conflict(f"“{chosen.label}”尚无生效的个人信息委托处理协议,不能向其派送含个人信息的诉求",
                       f"“{chosen.label}” has no entrusted-processing agreement in force: a "
                       "need with personal data cannot be dispatched to it",
                       code="no_processing_agreement", field="assignments")


@service
def need_dispatch(*, actor: Actor, need: Need, assignments: list[AssignmentSpec],
                  note: object = "") -> Need:
    """派单 from an accepted need (one lead, any supporters), or 增派 supporters later."""
    need = lock(need)
    access.require(actor, perms.NEED_DISPATCH, need)
    first = need.state == State.ACCEPTED
    action = Action.DISPATCH if first else Action.ASSIGN
    workflow.check(need.state, action)
    _check_specs(need, assignments, lead_needed=first)
    _check_agreements(need, assignments)
    created = [_create(need, spec, actor=actor) for spec in assignments]
    text = clean_text(note, field="note", label_zh="派单说明", label_en="Note", max_length=500)
    data = {"assignments": [{"society": a.society, "label": a.label, "role": a.role}
                            for a in created]}
    if first:
        need.dispatched_at = timezone.now()
        step(need, action, actor=actor, audit_action=NeedsAction.NEED_DISPATCHED, note=text,
             data=data, fields=("dispatched_at",))
    else:
        step(need, action, actor=actor, audit_action=NeedsAction.NEED_DISPATCHED, note=text,
             data=data)
    return need


def _assignment_for_update(assignment: Assignment) -> tuple[Assignment, Need]:
    a = Assignment.objects.unscoped(reason="lock: re-reads a row the caller holds").select_for_update().get(pk=assignment.pk)
    return a, lock(a.need)


def _may_act(actor: Actor, assignment: Assignment, need: Need) -> None:
    if access.acts_for(actor, assignment) or access.may(actor, perms.NEED_DISPATCH, need):
        return
    if access.may_see(actor, need):
        raise PermissionDenied()
    raise NotFound()


@service
def assignment_take(*, actor: Actor, assignment: Assignment) -> Assignment:
    a, need = _assignment_for_update(assignment)
    _may_act(actor, a, need)
    if a.state != AssignmentState.PENDING:
        raise Conflict("该派单已接单或已结束", "This assignment was already taken or has ended",
                       code="illegal_transition")
    action = _take_action(a)
    workflow.check(need.state, action)  # before any write
    _take(a, need, actor=actor, action=action)
    return a


def _take_action(a: Assignment) -> str:
    return Action.TAKE if a.role == AssignmentRole.LEAD else Action.SUPPORT_TAKE


def _take(a: Assignment, need: Need, *, actor: Actor, action: str, via: str = "") -> None:
    a.state = AssignmentState.TAKEN
    a.taken_at = timezone.now()
    a.save(update_fields=["state", "taken_at"])
    data: dict[str, Any] = {"assignment": a.pk, "society": a.society, "label": a.label}
    if via:
        data["via"] = via
    step(need, action, actor=actor, audit_action=NeedsAction.ASSIGNMENT_TAKEN, data=data)
    refresh_societies(need)


def _by_record(need_id: int, society: str, external_ref: str) -> tuple[Assignment, Need] | None:
    """The assignment whose provider-side record is ``external_ref``, and its need, both
    locked; None when no assignment of the need was made with that record."""
    found = (Assignment.objects.unscoped(reason="hook: the calling service authorised it").select_for_update()
             .filter(need_id=need_id, society=society, external_ref=external_ref)
             .order_by("-id").first())
    if found is None:
        return None
    return found, lock(found.need)


@service
def assignment_take_by_record(*, actor: Actor, need_id: int, society: str,
                              external_ref: str) -> Assignment | None:
    """The assignee acted on its own record of the assignment (a fund's managers approved the
    disbursement request dispatch made for it): the assignment counts as taken, by that actor,
    with the same event and audit code as 接单 on the need's page.

    Called only from the provider app's services, which have checked the actor's permission
    over that record (charity.approve over the fund) in the same transaction. Idempotent: an
    assignment already taken, finished or returned is left alone, and so is one the need's
    state does not let be taken now (the record's own step still stands)."""
    got = _by_record(need_id, society, external_ref)
    if got is None:
        return None
    a, need = got
    action = _take_action(a)
    if a.state == AssignmentState.PENDING and workflow.allowed(need.state, action):
        _take(a, need, actor=actor, action=action, via=external_ref)
    return a


@service
def assignment_finish_by_record(*, actor: Actor, need_id: int, society: str,
                                external_ref: str) -> Assignment | None:
    """The assignee's record is complete (the disbursement was paid): the assignment is done,
    taken first if it was still waiting. Resolving the need later keeps it done. Same caller
    contract and idempotence as ``assignment_take_by_record``."""
    got = _by_record(need_id, society, external_ref)
    if got is None:
        return None
    a, need = got
    if a.state == AssignmentState.PENDING:
        action = _take_action(a)
        if not workflow.allowed(need.state, action):
            return a
        _take(a, need, actor=actor, action=action, via=external_ref)
    if a.state != AssignmentState.TAKEN:
        return a
    a.state = AssignmentState.DONE
    a.finished_at = timezone.now()
    a.save(update_fields=["state", "finished_at"])
    provider = linkage.get(a.society)
    if provider is not None:
        provider.on_finish(a, actor=actor, outcome=str(AssignmentState.DONE))
    audit.record(actor=actor, action=NeedsAction.ASSIGNMENT_DONE, target=a,
                 label=need.tracking_code, data={"assignment": a.pk, "society": a.society,
                                                 "label": a.label, "via": external_ref})
    refresh_societies(need)
    return a


@service
def assignment_withdraw_by_record(*, actor: Actor, need_id: int, society: str,
                                  external_ref: str, reason: str) -> Assignment | None:
    """The assignee's record was undone after the assignment counted as taken (a paid
    disbursement reversed, an approved one cancelled): the assignment is returned and no
    longer counts among the need's societies. The need's own state is not moved. Same caller
    contract as ``assignment_take_by_record``; an assignment not taken or done is left alone."""
    got = _by_record(need_id, society, external_ref)
    if got is None:
        return None
    a, need = got
    if a.state not in (AssignmentState.TAKEN, AssignmentState.DONE):
        return a
    a.state = AssignmentState.RETURNED
    a.return_reason = reason[:200]
    a.finished_at = timezone.now()
    a.save(update_fields=["state", "return_reason", "finished_at"])
    audit.record(actor=actor, action=NeedsAction.ASSIGNMENT_RETURNED, target=a,
                 label=need.tracking_code, data={"assignment": a.pk, "society": a.society,
                                                 "label": a.label, "via": external_ref})
    refresh_societies(need)
    return a


@service
def assignment_return(*, actor: Actor, assignment: Assignment, reason: object) -> Assignment:
    """退单 with a reason. The lead's return sends the need back to be dispatched again."""
    a, need = _assignment_for_update(assignment)
    _may_act(actor, a, need)
    if a.state not in ACTIVE_ASSIGNMENT:
        raise Conflict("该派单已结束", "This assignment has ended", code="illegal_transition")
    text = clean_text(reason, field="reason", label_zh="退单理由", label_en="Reason",
                      max_length=200, required=True)
    action = Action.RETURN if a.role == AssignmentRole.LEAD else Action.SUPPORT_RETURN
    workflow.check(need.state, action)
    a.state = AssignmentState.RETURNED
    a.return_reason = text
    a.finished_at = timezone.now()
    a.save(update_fields=["state", "return_reason", "finished_at"])
    provider = linkage.get(a.society)
    if provider is not None:
        provider.on_finish(a, actor=actor, outcome=str(AssignmentState.RETURNED))
    step(need, action, actor=actor, audit_action=NeedsAction.ASSIGNMENT_RETURNED, note=text,
         data={"assignment": a.pk, "society": a.society, "label": a.label})
    refresh_societies(need)
    return a
