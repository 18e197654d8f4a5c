"""Writes of community workers: hiring onto the ladder, regrading, yearly appraisals."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.accounts.models import User
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.services import service
from wushe.orgs import cleaning
from wushe.people.models import Person
from wushe.regions.models import Region, RegionLevel
from wushe.workforce.audit_codes import WorkforceAction
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import (
    Adjustment,
    AdjustmentState,
    Appraisal,
    AppraisalResult,
    CommunityWorker,
    Education,
    ElectedRole,
    Engagement,
    WorkerStatus,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

OPEN_STATES = (AdjustmentState.OPEN, AdjustmentState.PROPOSED)

MANAGE = "workforce.manage"
VIEW = "workforce.view"


def _check_community(region: Region) -> None:
    if region.level != RegionLevel.COMMUNITY:
        raise ValidationFailed("社区工作者须配备到社区(村)", "A community worker works for a "
                               "community or village", code="region_level", field="community")


def prepare_community_worker(*, person: Person, community: Region,
                             values: dict[str, Any]) -> CommunityWorker:
    """An unsaved, validated community worker; with no grade, the ladder's suggestion."""
    _check_community(community)
    ladder = ladder_for(community)
    education = cleaning.choice(values.get("education") or Education.COLLEGE, Education,
                                "education", "学历", "Education")
    hired_on = cleaning.date(values.get("hired_on"), "hired_on", "入职日期", "Hiring date",
                             required=True)
    assert hired_on is not None
    if values.get("post") in (None, ""):
        raise ValidationFailed("请选择岗位", "Choose the post", code="required", field="post")
    post = ladder.post(values["post"])
    grade = values.get("grade")
    if grade in (None, ""):
        grade = ladder.suggested_grade(post_number=post.number, education=education,
                                       hired_on=hired_on)
    post_number, grade_value = ladder.check(post.number, grade)
    status = cleaning.choice(values.get("status") or WorkerStatus.ACTIVE, WorkerStatus,
                             "status", "状态", "Status")
    return CommunityWorker(person=person, community=community, region_path=community.path,
                           post=post_number, grade=grade_value, education=education,
                           hired_on=hired_on, status=status)


@service
def community_worker_create(*, actor: Actor, person: Person, community: Region,
                            **values: Any) -> CommunityWorker:
    scope.require_region(actor, MANAGE, community.path)
    worker = prepare_community_worker(person=person, community=community, values=values)
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
TERM_YEARS = 5  # a committee's term (村民委员会组织法 / 城市居民委员会组织法, 2018 revisions)


def engagement_values(worker: CommunityWorker, engagement: object, elected_role: object,
                       term_start: object, term_end: object) -> dict[str, Any]:
    """How the worker holds the job: hired (no role, no term) or elected (role and term)."""
    value = cleaning.choice(engagement, Engagement, "engagement", "任职方式", "Engagement")
    if value == Engagement.HIRED:
        return {"engagement": value, "elected_role": "", "term_start": None, "term_end": None}
    role = cleaning.choice(elected_role, ElectedRole, "elected_role", "职务", "Elected role",
                           required=False)
    if not role:
        raise ValidationFailed("选举产生的两委成员须填写职务", "Give the elected member's role",
                               code="required", field="elected_role")
    start = cleaning.date(term_start, "term_start", "任期开始", "Term starts", required=True,
                          not_future=False)
    assert start is not None
    end = cleaning.date(term_end, "term_end", "任期结束", "Term ends", not_future=False)
    if end is None:
        end = start.replace(year=start.year + TERM_YEARS) - dt.timedelta(days=1)
    if end <= start:
        raise ValidationFailed("任期结束须晚于任期开始", "The term must end after it starts",
                               code="term_order", field="term_end")
    return {"engagement": value, "elected_role": role, "term_start": start, "term_end": end}


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
    fresh = prepare_community_worker(person=worker.person, community=community, values={
        "post": worker.post, "grade": worker.grade, "education": education,
        "hired_on": hired_on, "status": status})
    fields = ["community", "region_path", "education", "hired_on", "status"]
    engaged: dict[str, Any] = {}
    if engagement is not _UNCHANGED:
        engaged = engagement_values(worker, engagement, elected_role, term_start, term_end)
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
        by=actor if getattr(actor, "pk", None) else None)
    audit.record(actor=actor, action=WorkforceAction.APPRAISAL_RECORDED, target=worker,
                 label=worker.person.masked_name,
                 data={"year": appraisal.year, "result": appraisal.result})
    # 不称职 opens the cadre adjustment at once, in this transaction.
    from wushe.workforce.services.adjustments import adjustment_open

    adjustment_open(actor=actor, appraisal=appraisal)
    return appraisal
