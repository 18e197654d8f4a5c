"""Writes of community workers: hiring onto the ladder, regrading, yearly appraisals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from wushe.accounts import scope
from wushe.audit import services as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.services import service
from wushe.orgs import cleaning
from wushe.people.models import Person
from wushe.regions.models import Region, RegionLevel
from wushe.workforce.audit_codes import WorkforceAction
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import (
    Appraisal,
    AppraisalResult,
    CommunityWorker,
    Education,
    WorkerStatus,
)

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
def community_worker_create(*, actor: Any, person: Person, community: Region,
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


@service
def community_worker_update(*, actor: Any, worker: CommunityWorker, community: Region,
                            education: object, hired_on: object, status: object) -> CommunityWorker:
    """Transfer, education, hiring date and status; the grade moves only by regrading."""
    scope.require(actor, MANAGE, worker, view_perm=VIEW)
    if community.path != worker.region_path:
        scope.require_region(actor, MANAGE, community.path)
    fresh = prepare_community_worker(person=worker.person, community=community, values={
        "post": worker.post, "grade": worker.grade, "education": education,
        "hired_on": hired_on, "status": status})
    old = {"community": worker.region_path, "education": worker.education,
           "hired_on": str(worker.hired_on), "status": worker.status}
    for f in ("community", "region_path", "education", "hired_on", "status"):
        setattr(worker, f, getattr(fresh, f))
    new = {"community": worker.region_path, "education": worker.education,
           "hired_on": str(worker.hired_on), "status": worker.status}
    changes = audit.diff(old, new)
    if changes:
        worker.save()
        audit.record(actor=actor, action=WorkforceAction.COMMUNITY_WORKER_UPDATED, target=worker,
                     label=worker.person.masked_name, data=changes)
    return worker


@service
def community_worker_regrade(*, actor: Any, worker: CommunityWorker, post: object, grade: object,
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
def appraisal_record(*, actor: Any, worker: CommunityWorker, year: object, result: object,
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
