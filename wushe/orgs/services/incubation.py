"""Writes of incubation: entering a base, issues found and resolved, follow-ups and field
visits, stage moves and graduation (出壳)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.core.services import service
from wushe.orgs import access, cleaning, selectors, workflow
from wushe.orgs.audit_codes import OrgAction
from wushe.orgs.models import (
    AREAS,
    FollowUpKind,
    Incubation,
    IncubationFollowUp,
    IncubationIssue,
    IncubationStage,
    OrgStatus,
    SocialOrganization,
)
from wushe.regions.models import Site, SiteKind

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

AREA_KEYS = [k for k, _label in AREAS]


def _check_base(base: Site) -> None:
    if base.kind != SiteKind.INCUBATOR or not base.active:
        raise ValidationFailed("孵化基地须为在运营的孵化基地站点",
                               "The base must be an incubation-base site in operation",
                               field="base")


def _open(incubation: Incubation) -> None:
    if not incubation.open:
        raise Conflict("该孵化已结束", "This incubation has ended", code="incubation_closed")



@service
def incubation_start(*, actor: Actor, org: SocialOrganization, base: Site, mentor: object = "",
                     started_on: object = None) -> Incubation:
    access.require_manage(actor, org)
    _check_base(base)
    if org.status in (OrgStatus.SUSPENDED, OrgStatus.ELIMINATED):
        raise ValidationFailed("停止活动或已淘汰的社会组织不能入驻孵化",
                               "A suspended or eliminated organisation cannot be incubated",
                               field="org")
    if Incubation.objects.filter(org=org).exists():
        raise Conflict("该社会组织已有孵化记录", "This organisation already has an incubation record",
                       code="incubation_exists", field="org")
    incubation = Incubation.objects.create(
        org=org, region_path=org.region_path, base=base,
        mentor=cleaning.text(mentor, "mentor", "导师", "Mentor", 50),
        started_on=cleaning.date(started_on, "started_on", "入驻日期", "Entry date")
        or dt.date.today())
    audit.record(actor=actor, action=OrgAction.INCUBATION_STARTED, target=org, label=org.name,
                 data={"incubation": incubation.pk, "base": base.pk, "mentor": incubation.mentor})
    return incubation


@service
def incubation_update(*, actor: Actor, incubation: Incubation, mentor: object) -> Incubation:
    access.require_manage(actor, incubation.org)
    _open(incubation)
    old = incubation.mentor
    incubation.mentor = cleaning.text(mentor, "mentor", "导师", "Mentor", 50)
    incubation.save(update_fields=["mentor", "updated_at"])
    audit.record(actor=actor, action=OrgAction.INCUBATION_UPDATED, target=incubation.org,
                 label=incubation.org.name, data={"mentor": {"old": old, "new": incubation.mentor}})
    return incubation


@service
def incubation_advance(*, actor: Actor, incubation: Incubation, stage: str, on: object = None,
                       note: object = "") -> Incubation:
    access.require_manage(actor, incubation.org)
    workflow.check_stage(incubation.stage, stage)
    day = cleaning.date(on, "on", "日期", "Date") or dt.date.today()
    text = cleaning.text(note, "note", "说明", "Note", 300,
                         required=stage == IncubationStage.WITHDRAWN)
    if stage == IncubationStage.GRADUATED:
        blockers = selectors.graduation_blockers(incubation)
        if blockers:
            raise ValidationFailed("；".join(z for z, _e in blockers),
                                   "; ".join(e for _z, e in blockers),
                                   code="cannot_graduate", field="stage")
        if day < incubation.started_on:
            raise ValidationFailed("出壳日期早于入驻日期", "Graduation precedes entry", field="on")
        incubation.graduated_on = day
    old = incubation.stage
    incubation.stage = stage
    if text:
        incubation.ended_note = text
    incubation.save()
    audit.record(actor=actor, action=OrgAction.INCUBATION_STAGE_CHANGED, target=incubation.org,
                 label=incubation.org.name,
                 data={"from": old, "to": stage, "on": str(day), "note": text})
    return incubation


@service
def issue_record(*, actor: Actor, incubation: Incubation, area: object, description: object,
                 found_on: object = None) -> IncubationIssue:
    access.require_manage(actor, incubation.org)
    _open(incubation)
    if area not in AREA_KEYS:
        raise ValidationFailed("请选择问题所属的能力领域", "Choose the area of the issue", field="area")
    issue = IncubationIssue.objects.create(
        incubation=incubation, region_path=incubation.region_path, area=str(area),
        description=cleaning.text(description, "description", "问题", "Issue", 300,
                                  required=True),
        found_on=cleaning.date(found_on, "found_on", "发现日期", "Date found") or dt.date.today())
    audit.record(actor=actor, action=OrgAction.ISSUE_RECORDED, target=incubation.org,
                 label=incubation.org.name, data={"issue": issue.pk, "area": issue.area})
    return issue


@service
def issue_resolve(*, actor: Actor, issue: IncubationIssue, resolution: object,
                  resolved_on: object = None) -> IncubationIssue:
    incubation = issue.incubation
    access.require_manage(actor, incubation.org)
    _open(incubation)
    if issue.resolved_on:
        raise Conflict("该问题已解决", "This issue is already resolved", code="issue_resolved")
    day = cleaning.date(resolved_on, "resolved_on", "解决日期", "Date resolved") \
        or dt.date.today()
    if day < issue.found_on:
        raise ValidationFailed("解决日期早于发现日期", "Resolved before it was found",
                               field="resolved_on")
    issue.resolution = cleaning.text(resolution, "resolution", "解决办法", "Resolution", 300,
                                     required=True)
    issue.resolved_on = day
    issue.save()
    audit.record(actor=actor, action=OrgAction.ISSUE_RESOLVED, target=incubation.org,
                 label=incubation.org.name, data={"issue": issue.pk})
    return issue


@service
def follow_up_record(*, actor: Actor, incubation: Incubation, kind: object, notes: object,
                     on: object = None) -> IncubationFollowUp:
    access.require_manage(actor, incubation.org)
    _open(incubation)
    if kind not in FollowUpKind.values:
        raise ValidationFailed("请选择跟踪方式", "Choose the kind of follow-up", field="kind")
    day = cleaning.date(on, "on", "日期", "Date") or dt.date.today()
    if day < incubation.started_on:
        raise ValidationFailed("日期早于入驻日期", "The date precedes entry to the base", field="on")
    follow_up = IncubationFollowUp.objects.create(
        incubation=incubation, region_path=incubation.region_path, kind=str(kind), on=day,
        notes=cleaning.text(notes, "notes", "记录", "Notes", 500, required=True), by=user_or_none(actor))
    audit.record(actor=actor, action=OrgAction.FOLLOW_UP_RECORDED, target=incubation.org,
                 label=incubation.org.name, data={"kind": follow_up.kind, "on": str(day)})
    return follow_up
