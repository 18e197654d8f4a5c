"""Writes of community workers: hiring onto the ladder, regrading, yearly appraisals."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.accounts.models import User
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.services import service
from wushe.orgs import cleaning
from wushe.people.models import Person
from wushe.regions.models import Region
from wushe.workforce import validation
from wushe.workforce.audit_codes import WorkforceAction
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import (
    Adjustment,
    AdjustmentState,
    Appraisal,
    AppraisalResult,
    CommunityWorker,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

OPEN_STATES = (AdjustmentState.OPEN, AdjustmentState.PROPOSED)

MANAGE = "workforce.manage"
VIEW = "workforce.view"


@service
def community_worker_create(*, actor: Actor, person: Person, community: Region,
                            **values: Any) -> CommunityWorker:
    scope.require_region(actor, MANAGE, community.path)
    worker = validation.prepare_community_worker(person=person, community=community, values=values)
    if CommunityWorker.objects.filter(person=person).exists():
        raise Conflict("该人员已登记为社区工作者", "This person is already a registered community "
                       "worker", code="duplicate_worker", field="id_number")
    worker.save()
    audit.record(actor=actor, action=WorkforceAction.COMMUNITY_WORKER_CREATED, target=worker,
                 label=person.masked_name,
                 data={"community": community.code, "post": worker.post, "grade": worker.grade,
                       "hired_on": str(worker.hired_on)})
    return worker


_UNCHANGED: Any = object()
def _account(worker: CommunityWorker, username: object) -> Any:
    """The account named, if it holds a role grant in the worker's community; a missing
    account and one of another community read the same (existence never leaks)."""
    name = cleaning.text(username, "account", "账号", "Account", 150)
    if not name:
        return None
    account = (User.objects.filter(username=name, is_active=True,
                                   grants__region_path__startswith=worker.region_path)
               .distinct().first())
    if account is None:
        raise ValidationFailed("本社区没有这个账号", "No account of this community by that name",
                               code="account_unknown", field="account")
    taken = (CommunityWorker.objects.unscoped(reason="uniqueness check, no row shown").filter(account=account)
             .exclude(pk=worker.pk).exists())
    if taken:
        raise Conflict("该账号已关联其他社区工作者", "This account belongs to another community "
                       "worker", code="account_taken", field="account")
    return account


@service
def community_worker_update(*, actor: Actor, worker: CommunityWorker, community: Region,
                            education: object, hired_on: object, status: object,
                            engagement: object = _UNCHANGED, elected_role: object = "",
                            term_start: object = None, term_end: object = None,
                            account: object = _UNCHANGED) -> CommunityWorker:
    """Transfer, education, hiring date, status, engagement (hired, or elected with its role
    and term) and the linked account; the grade moves only by regrading."""
    scope.require(actor, MANAGE, worker, view_perm=VIEW)
    if community.path != worker.region_path:
        scope.require_region(actor, MANAGE, community.path)
    fresh = validation.prepare_community_worker(person=worker.person, community=community, values={
        "post": worker.post, "grade": worker.grade, "education": education,
        "hired_on": hired_on, "status": status})
    fields = ["community", "region_path", "education", "hired_on", "status"]
    engaged: dict[str, Any] = {}
    if engagement is not _UNCHANGED:
        engaged = validation.engagement_values(worker, engagement, elected_role, term_start, term_end)
        if engaged["engagement"] != worker.engagement and Adjustment.objects.unscoped(reason="uniqueness check, no row shown").filter(
                worker=worker, state__in=OPEN_STATES).exists():
            raise Conflict("调整进行中,不能改变任职方式", "An adjustment is in progress: the "
                           "engagement cannot change until it is decided",
                           code="adjustment_open", field="engagement")
        fields += list(engaged)
    linked = worker.account if account is _UNCHANGED else _account(worker, account)
    old = {"community": worker.region_path, "education": worker.education,
           "hired_on": str(worker.hired_on), "status": worker.status,
           "engagement": worker.engagement, "elected_role": worker.elected_role,
           "term_start": str(worker.term_start or ""), "term_end": str(worker.term_end or ""),
           "account": worker.account_id}
    for f in ("community", "region_path", "education", "hired_on", "status"):
        setattr(worker, f, getattr(fresh, f))
    for f, v in engaged.items():
        setattr(worker, f, v)
    worker.account = linked
    new = {"community": worker.region_path, "education": worker.education,
           "hired_on": str(worker.hired_on), "status": worker.status,
           "engagement": worker.engagement, "elected_role": worker.elected_role,
           "term_start": str(worker.term_start or ""), "term_end": str(worker.term_end or ""),
           "account": worker.account_id}
    changes = audit.diff(old, new)
    if changes:
        worker.save()
        audit.record(actor=actor, action=WorkforceAction.COMMUNITY_WORKER_UPDATED, target=worker,
                     label=worker.person.masked_name, data=changes)
    return worker


@service
def community_worker_regrade(*, actor: Actor, worker: CommunityWorker, post: object, grade: object,
                             reason: object) -> CommunityWorker:
    scope.require(actor, MANAGE, worker, view_perm=VIEW)
    post_number, grade_value = ladder_for(worker.region_path).check(post, grade)
    why = cleaning.text(reason, "reason", "调整原因", "Reason", 300, required=True)
    old = {"post": worker.post, "grade": worker.grade}
    if old == {"post": post_number, "grade": grade_value}:
        raise ValidationFailed("岗位和等级没有变化", "Neither the post nor the grade changes",
                               field="grade")
    worker.post, worker.grade = post_number, grade_value
    worker.save(update_fields=["post", "grade", "updated_at"])
    audit.record(actor=actor, action=WorkforceAction.COMMUNITY_WORKER_REGRADED, target=worker,
                 label=worker.person.masked_name,
                 data={"old": old, "new": {"post": post_number, "grade": grade_value},
                       "reason": why})
    return worker


def _adjustment_open(*, actor: Actor, appraisal: Appraisal) -> Adjustment | None:
    """Open the adjustment of a 不称职 appraisal (inside ``appraisal_record``'s transaction);
    any other result opens nothing."""
    if appraisal.result != AppraisalResult.INCOMPETENT:
        return None
    worker = appraisal.worker
    adjustment = Adjustment.objects.create(
        worker=worker, appraisal=appraisal, region_path=worker.region_path, year=appraisal.year,
        engagement=worker.engagement, old_post=worker.post, old_grade=worker.grade)
    audit.record(actor=actor, action=WorkforceAction.ADJUSTMENT_OPENED, target=adjustment,
                 label=worker.person.masked_name,
                 data={"year": appraisal.year, "engagement": worker.engagement})
    return adjustment


@service
def appraisal_record(*, actor: Actor, worker: CommunityWorker, year: object, result: object,
                     note: object = "") -> Appraisal:
    scope.require(actor, MANAGE, worker, view_perm=VIEW)
    value = cleaning.integer(year, "year", "考评年度", "Year", minimum=worker.hired_on.year,
                             maximum=dt.date.today().year, required=True)
    if Appraisal.objects.filter(worker=worker, year=value).exists():
        raise Conflict(f"{value}年度的考评已记录", f"The {value} appraisal is already recorded",
                       code="duplicate_appraisal", field="year")
    appraisal = Appraisal.objects.create(
        worker=worker, region_path=worker.region_path, year=value,
        result=cleaning.choice(result, AppraisalResult, "result", "考评结果", "Result"),
        note=cleaning.text(note, "note", "备注", "Note", 300),
        by=user_or_none(actor))
    audit.record(actor=actor, action=WorkforceAction.APPRAISAL_RECORDED, target=worker,
                 label=worker.person.masked_name,
                 data={"year": appraisal.year, "result": appraisal.result})
    # 不称职 opens the cadre adjustment at once, in this transaction.
    _adjustment_open(actor=actor, appraisal=appraisal)
    return appraisal
