"""Centralised supervision sessions (集中督导) and consultations (一站式咨询): recorded on their
own, for a region (and a project when one is concerned), after they took place."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import ValidationFailed
from wushe.core.services import service
from wushe.orgs import cleaning
from wushe.projects.models import ServiceProject
from wushe.regions.models import Region
from wushe.supervision import schedule
from wushe.supervision.audit_codes import SupervisionAction
from wushe.supervision.models import SESSION_KINDS, Kind, Supervision, VisitStatus
from wushe.supervision.services._common import (
    FINDINGS_MAX,
    MANAGE,
    PROJECT_VIEW,
    note,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MAX_PARTICIPANTS = 10_000
MAX_ORGANISATIONS = 1_000


@service
def session_record(*, actor: Actor, kind: object, held_on: object, topic: object,
                   participants: object, region: Region | None = None,
                   project: ServiceProject | None = None, organisations: object = None,
                   findings: object = "") -> Supervision:
    value = cleaning.choice(kind, Kind, "kind", "督导类型", "Kind")
    if value not in SESSION_KINDS:
        raise ValidationFailed("这里只记录集中督导或咨询", "Record a centralised session or a "
                               "consultation here", field="kind")
    if project is not None:
        scope.require(actor, MANAGE, project, view_perm=PROJECT_VIEW)
        region = project.region
    elif region is None:
        raise ValidationFailed("请选择地区", "Choose the region", code="required", field="region")
    else:
        scope.require_region(actor, MANAGE, region.path)
    day = cleaning.date(held_on, "held_on", "日期", "Date", required=True)
    tier = schedule.tier_for(region.path)
    session = Supervision.objects.create(
        project=project, kind=value, tier=tier,
        supervising_site_id=schedule.SiteIndex().site_id(region.path, tier),
        region=region, region_path=region.path, scheduled_on=day, done_on=day,
        status=VisitStatus.DONE, supervisor=user_or_none(actor),
        topic=note(topic, "topic", "主题", "Topic", required=True, max_length=200),
        participants=cleaning.integer(participants, "participants", "参加人数", "Participants",
                                      minimum=1, maximum=MAX_PARTICIPANTS, required=True),
        organisations=cleaning.integer(organisations, "organisations", "参加机构数",
                                       "Organisations", minimum=0, maximum=MAX_ORGANISATIONS),
        findings=note(findings, "findings", "记录", "Notes", max_length=FINDINGS_MAX))
    audit.record(actor=actor, action=SupervisionAction.SESSION_RECORDED, target=session,
                 label=session.topic,
                 data={"kind": value, "held_on": str(day), "participants": session.participants,
                       "organisations": session.organisations, "project": session.project_id})
    return session
