"""Cadre adjustments (及时调整社区不合格不胜任的基层干部).

An appraisal of 不称职 opens an adjustment in the same transaction (``appraisal_record``
opens it). What follows depends on how the worker holds the job:

* a hired community worker: the community proposes a transfer (调岗), a demotion (降级) or a
  dismissal (解聘) — the kinds in force are the local rule ``workforce.adjustment_kinds_hired``
  — and the street approves or rejects it; the proposer never approves their own proposal;
* an elected committee member (书记, 主任, 委员): the street does not decide. The community
  records the lawful procedure — a resignation, or a recall by the residents' (villagers')
  assembly with its date, votes and minutes (rule ``workforce.adjustment_kinds_elected``).

The outcome follows at once: a transfer changes the post, a demotion lowers the grade within
the post's range, a dismissal or recall ends the job (status left) and revokes the account's
role grants over the community through ``wushe.accounts.services.grant_revoke``.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.accounts.models import RoleGrant
from wushe.accounts.services import grant_revoke
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, IllegalTransition, PermissionDenied, ValidationFailed
from wushe.core.services import service
from wushe.orgs import cleaning
from wushe.workforce import validation
from wushe.workforce.audit_codes import WorkforceAction
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentState,
    CommunityWorker,
    Engagement,
    WorkerStatus,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "workforce.view"
PROPOSE = "workforce.adjust"  # the community (and the street) propose or record
APPROVE = "workforce.manage"  # the street approves, from a grant above the community


def _check_kind(adjustment: Adjustment, kind: object) -> str:
    value = str(kind or "").strip()
    if value not in validation.kinds_for(adjustment.engagement, adjustment.region_path):
        if adjustment.engagement == Engagement.ELECTED:
            raise ValidationFailed(
                "选举产生的两委成员只能依法辞职或由居民(村民)会议罢免",
                "An elected committee member leaves only by resignation or by recall of the "
                "residents' (villagers') assembly", code="kind_not_allowed", field="kind")
        raise ValidationFailed("聘用社区工作者的调整方式为本地规定的调岗、降级或解聘",
                               "A hired community worker is transferred, demoted or dismissed, "
                               "as the local rules allow", code="kind_not_allowed", field="kind")
    return value


def _lock(adjustment: Adjustment) -> Adjustment:
    return Adjustment.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().select_related(
        "worker", "worker__person").get(pk=adjustment.pk)


def _require_state(adjustment: Adjustment, *states: str) -> None:
    if adjustment.state not in states:
        raise IllegalTransition("该调整已不在可办理的状态", "The adjustment is no longer in a "
                                "state that allows this", code="illegal_transition")


@service
def adjustment_propose(*, actor: Actor, adjustment: Adjustment, kind: object,
                       reason: object, new_post: object = None,
                       steps: object = None) -> Adjustment:
    """The community proposes how a hired worker is adjusted: another post, a lower grade (by
    ``steps``), or dismissal. Elected members are refused: their procedure is recorded."""
    scope.require(actor, PROPOSE, adjustment, view_perm=VIEW)
    adjustment = _lock(adjustment)
    if adjustment.engagement == Engagement.ELECTED:
        raise Conflict("选举产生的两委成员不由街道决定调整,请记录辞职或罢免的依法程序",
                       "An elected committee member is not adjusted by a street decision: record "
                       "the lawful procedure (resignation or recall) instead",
                       code="elected_member", field="kind")
    _require_state(adjustment, AdjustmentState.OPEN, AdjustmentState.REJECTED)
    value = _check_kind(adjustment, kind)
    why = cleaning.text(reason, "reason", "调整理由", "Reason", 300, required=True)
    worker = adjustment.worker
    ladder = ladder_for(worker.region_path)
    to_post, new_grade = worker.post, worker.grade
    if value == AdjustmentKind.TRANSFER:
        if new_post in (None, ""):
            raise ValidationFailed("请选择调任的岗位", "Choose the post to transfer to",
                                   code="required", field="new_post")
        post = ladder.post(new_post)
        if post.number == worker.post:
            raise ValidationFailed("调岗须调到另一岗位", "A transfer moves to another post",
                                   code="same_post", field="new_post")
        # The grade stays if the new post's range holds it, else the nearest grade inside it.
        to_post, new_grade = post.number, min(post.highest, max(post.lowest, worker.grade))
    elif value == AdjustmentKind.DEMOTION:
        count = cleaning.integer(steps if steps not in (None, "") else 1, "steps", "降级级数",
                                 "Steps down", minimum=1, maximum=ladder.grades, required=True)
        assert count is not None
        lowest = ladder.post(worker.post).lowest
        if worker.grade - count < lowest:
            raise ValidationFailed(
                f"本岗位最低为{lowest}级,不能再降{count}级",
                f"The post's lowest grade is {lowest}; the worker cannot go down {count} "
                "step(s)", code="grade_out_of_range", field="steps")
        new_grade = worker.grade - count
    adjustment.kind = value
    adjustment.reason = why
    adjustment.old_post, adjustment.old_grade = worker.post, worker.grade
    adjustment.new_post = None if value == AdjustmentKind.DISMISSAL else to_post
    adjustment.new_grade = None if value == AdjustmentKind.DISMISSAL else new_grade
    adjustment.state = AdjustmentState.PROPOSED
    adjustment.proposed_by = user_or_none(actor)
    adjustment.proposed_at = timezone.now()
    adjustment.decided_by, adjustment.decided_at, adjustment.decision_note = None, None, ""
    adjustment.save()
    audit.record(actor=actor, action=WorkforceAction.ADJUSTMENT_PROPOSED, target=adjustment,
                 label=worker.person.masked_name,
                 data={"kind": value, "old": {"post": worker.post, "grade": worker.grade},
                       "new": {"post": adjustment.new_post, "grade": adjustment.new_grade}})
    return adjustment


def _street_or_above(actor: Actor, path: str) -> bool:
    """The actor approves from a grant above the worker's community (the street or the
    district), never from a grant over the community itself."""
    if scope.is_superuser(actor):
        return True
    return any(path.startswith(p) and len(p) < len(path) for p in scope.paths(actor, APPROVE))


def _revoke_grants(worker: CommunityWorker) -> int:
    """The account's role grants over the worker's community end with the job. Carried out by
    the accounts service on the authority of the approved adjustment (actor None: the system),
    each revocation audited there."""
    if worker.account_id is None:
        return 0
    grants = list(RoleGrant.objects.unscoped(reason="service: scope.require checked the actor").select_related("user").filter(
        user_id=worker.account_id, region_path__startswith=worker.region_path))
    for grant in grants:
        grant_revoke(actor=None, grant=grant)
    return len(grants)


def _apply(adjustment: Adjustment) -> dict[str, Any]:
    """The worker's post, grade, status and grants follow the outcome at once."""
    worker = CommunityWorker.objects.unscoped(reason="service: scope.require checked the actor").select_for_update().get(pk=adjustment.worker_id)
    old = {"post": worker.post, "grade": worker.grade, "status": worker.status}
    if adjustment.kind in (AdjustmentKind.DISMISSAL, AdjustmentKind.RECALL,
                           AdjustmentKind.RESIGNATION):
        worker.status = WorkerStatus.LEFT
        adjustment.grants_revoked = _revoke_grants(worker)
    else:
        ladder = ladder_for(worker.region_path)
        worker.post, worker.grade = ladder.check(adjustment.new_post, adjustment.new_grade)
    worker.save(update_fields=["post", "grade", "status", "updated_at"])
    adjustment.worker = worker
    return {"old": old, "new": {"post": worker.post, "grade": worker.grade,
                                "status": worker.status},
            "grants_revoked": adjustment.grants_revoked}


@service
def adjustment_approve(*, actor: Actor, adjustment: Adjustment, note: object = "") -> Adjustment:
    scope.require(actor, APPROVE, adjustment, view_perm=VIEW)
    adjustment = _lock(adjustment)
    if adjustment.engagement == Engagement.ELECTED:
        raise Conflict("选举产生的两委成员由居民(村民)会议依法罢免或本人辞职,街道不能批准调整",
                       "An elected committee member leaves only by resignation or by recall of "
                       "the residents' (villagers') assembly; the street cannot approve an "
                       "adjustment", code="elected_member")
    if not _street_or_above(actor, adjustment.region_path):
        raise PermissionDenied("调整须由街道批准", "The street approves an adjustment")
    _require_state(adjustment, AdjustmentState.PROPOSED)
    if adjustment.proposed_by_id is not None and adjustment.proposed_by_id == getattr(
            actor, "pk", None):
        raise PermissionDenied("提出调整的人不能批准自己的提议",
                               "The proposer cannot approve their own proposal",
                               code="own_proposal")
    adjustment.decision_note = cleaning.text(note, "note", "批准意见", "Note", 300)
    adjustment.state = AdjustmentState.APPROVED
    adjustment.decided_by = user_or_none(actor)
    adjustment.decided_at = timezone.now()
    changes = _apply(adjustment)
    adjustment.save()
    audit.record(actor=actor, action=WorkforceAction.ADJUSTMENT_APPROVED, target=adjustment,
                 label=adjustment.worker.person.masked_name,
                 data={"kind": adjustment.kind, **changes})
    return adjustment


@service
def adjustment_reject(*, actor: Actor, adjustment: Adjustment, note: object) -> Adjustment:
    """The street sends a proposal back with its reasons; the community may propose again."""
    scope.require(actor, APPROVE, adjustment, view_perm=VIEW)
    adjustment = _lock(adjustment)
    if adjustment.engagement == Engagement.ELECTED:
        raise Conflict("选举产生的两委成员不由街道决定调整", "An elected committee member is not "
                       "adjusted by a street decision", code="elected_member")
    if not _street_or_above(actor, adjustment.region_path):
        raise PermissionDenied("调整须由街道审核", "The street decides on an adjustment")
    _require_state(adjustment, AdjustmentState.PROPOSED)
    if adjustment.proposed_by_id is not None and adjustment.proposed_by_id == getattr(
            actor, "pk", None):
        raise PermissionDenied("提出调整的人不能审核自己的提议",
                               "The proposer cannot decide on their own proposal",
                               code="own_proposal")
    adjustment.decision_note = cleaning.text(note, "note", "退回理由", "Reason", 300,
                                             required=True)
    adjustment.state = AdjustmentState.REJECTED
    adjustment.decided_by = user_or_none(actor)
    adjustment.decided_at = timezone.now()
    adjustment.save()
    audit.record(actor=actor, action=WorkforceAction.ADJUSTMENT_REJECTED, target=adjustment,
                 label=adjustment.worker.person.masked_name, data={"kind": adjustment.kind})
    return adjustment


@service
def adjustment_record_procedure(*, actor: Actor, adjustment: Adjustment, kind: object,
                                procedure_on: object, minutes: object,
                                votes_eligible: object = None, votes_cast: object = None,
                                votes_for: object = None, reason: object = "") -> Adjustment:
    """Record an elected member's resignation, or recall by the assembly (date, votes, minutes).
    A recall passes only with a majority of the registered voters voting and a majority of those
    voting in favour; the member leaves and the account's grants end."""
    scope.require(actor, PROPOSE, adjustment, view_perm=VIEW)
    adjustment = _lock(adjustment)
    if adjustment.engagement != Engagement.ELECTED:
        raise Conflict("聘用社区工作者的调整由社区提出、街道批准",
                       "A hired community worker is adjusted by a community proposal approved "
                       "by the street", code="hired_worker", field="kind")
    _require_state(adjustment, AdjustmentState.OPEN)
    value = _check_kind(adjustment, kind)
    on = cleaning.date(procedure_on, "procedure_on", "日期", "Date", required=True)
    assert on is not None
    if on > dt.date.today():
        raise ValidationFailed("日期不能晚于今天", "The date cannot be in the future",
                               field="procedure_on")
    adjustment.minutes = cleaning.text(minutes, "minutes", "会议记录或辞职文书",
                                       "Minutes or letter of resignation", 150, required=True)
    if value == AdjustmentKind.RECALL:
        eligible = cleaning.integer(votes_eligible, "votes_eligible", "登记选民数",
                                    "Registered voters", minimum=1, maximum=10**6, required=True)
        cast = cleaning.integer(votes_cast, "votes_cast", "投票人数", "Votes cast", minimum=0,
                                maximum=10**6, required=True)
        yes = cleaning.integer(votes_for, "votes_for", "赞成票数", "Votes for", minimum=0,
                               maximum=10**6, required=True)
        assert eligible is not None and cast is not None and yes is not None
        if cast > eligible or yes > cast:
            raise ValidationFailed("票数不一致:投票人数不能多于登记选民,赞成票不能多于投票人数",
                                   "The votes do not add up: no more votes cast than registered "
                                   "voters, no more votes for than votes cast",
                                   code="votes_inconsistent", field="votes_cast")
        if not (2 * cast > eligible and 2 * yes > cast):
            raise ValidationFailed("罢免须登记选民过半数投票、投票者过半数赞成,本次表决未通过",
                                   "A recall needs more than half the registered voters voting "
                                   "and more than half of those voting in favour; this vote "
                                   "did not pass", code="recall_not_passed", field="votes_for")
        adjustment.votes_eligible, adjustment.votes_cast, adjustment.votes_for = (
            eligible, cast, yes)
    adjustment.kind = value
    adjustment.reason = cleaning.text(reason, "reason", "说明", "Note", 300)
    adjustment.procedure_on = on
    adjustment.state = AdjustmentState.RECORDED
    adjustment.proposed_by = user_or_none(actor)
    adjustment.proposed_at = timezone.now()
    changes = _apply(adjustment)
    adjustment.save()
    audit.record(actor=actor, action=WorkforceAction.ADJUSTMENT_RECORDED, target=adjustment,
                 label=adjustment.worker.person.masked_name,
                 data={"kind": value, "on": str(on), "votes": [adjustment.votes_eligible,
                                                              adjustment.votes_cast,
                                                              adjustment.votes_for],
                       **changes})
    return adjustment
