"""结对帮扶: a volunteer or a team paired with a person in care, and the visit log."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.accounts.scope import subtree_q
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, IllegalTransition, ValidationFailed
from wushe.core.services import service
from wushe.core.text import clean_text
from wushe.people.models import Person
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import (
    Membership,
    Pairing,
    PairingStatus,
    TargetGroup,
    Team,
    VisitLog,
    Volunteer,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MAX_VISIT_MINUTES = 24 * 60


def _member(volunteer: Volunteer, team: Team) -> bool:
    return Membership.objects.unscoped(reason="check: a membership test, no row shown").filter(volunteer=volunteer, left_on=None).filter(
        subtree_q("team_path", team.path)).exists()


@service
def pairing_create(*, actor: Actor, team: Team, person: Person, target_group: str,
                   needs: object = "", volunteer: Volunteer | None = None,
                   started_on: dt.date | None = None) -> Pairing:
    access.require(actor, access.MANAGE, team)
    # The person in care must be someone the actor may see in the people register.
    scope.require(actor, "people.view", person)
    if target_group not in TargetGroup.values:
        raise ValidationFailed("帮扶对象类别无效", "Unknown target group", field="target_group")
    if volunteer is not None and not _member(volunteer, team):
        raise ValidationFailed("结对志愿者须为该队伍成员", "The paired volunteer must be a member of "
                               "the team", code="not_member", field="volunteer")
    if Pairing.objects.unscoped(reason="uniqueness check, no row shown").filter(person=person, team=team, volunteer=volunteer,
                                         status=PairingStatus.ACTIVE).exists():
        raise Conflict("已有相同的结对", "This pairing already exists", code="duplicate_pairing")
    pairing = Pairing.objects.create(
        team=team, team_path=team.path, volunteer=volunteer, person=person,
        region_id=person.region_id, region_path=person.region_path, target_group=target_group,
        needs=clean_text(needs, field="needs", label_zh="帮扶需求", label_en="Care needs",
                         max_length=1000),
        started_on=started_on or timezone.localdate())
    audit.record(actor=actor, action=VolunteerAction.PAIRING_CREATED, target=pairing,
                 label=person.masked_name,
                 data={"team": team.pk, "volunteer": volunteer.pk if volunteer else None,
                       "person": person.pk, "target_group": target_group})
    return pairing


@service
def pairing_end(*, actor: Actor, pairing: Pairing, ended_on: dt.date | None = None) -> Pairing:
    access.require(actor, access.MANAGE, pairing)
    if pairing.status != PairingStatus.ACTIVE:
        raise IllegalTransition("该结对已结束", "This pairing has already ended", code="ended")
    ended_on = ended_on or timezone.localdate()
    if ended_on < pairing.started_on:
        raise ValidationFailed("结束日期不能早于开始日期", "The end cannot be before the start",
                               field="ended_on")
    pairing.status, pairing.ended_on = PairingStatus.ENDED, ended_on
    pairing.save(update_fields=["status", "ended_on", "updated_at"])
    audit.record(actor=actor, action=VolunteerAction.PAIRING_ENDED, target=pairing,
                 data={"ended_on": ended_on.isoformat()})
    return pairing


@service
def visit_log(*, actor: Actor, pairing: Pairing, visited_on: dt.date, minutes: object,
              content: object, visitor: Volunteer | None = None) -> VisitLog:
    """By the team (leader or staff), or by the paired volunteer about its own visit."""
    own = pairing.volunteer_id is not None and access.own_volunteer_id(actor) == \
        pairing.volunteer_id
    if not own:
        access.require(actor, access.MANAGE, pairing)
    if pairing.status != PairingStatus.ACTIVE:
        raise IllegalTransition("该结对已结束", "This pairing has already ended", code="ended")
    if visited_on > timezone.localdate() or visited_on < pairing.started_on:
        raise ValidationFailed("走访日期须在结对期间内且不晚于今天", "The visit date must fall within "
                               "the pairing and not after today", field="visited_on")
    try:
        length = int(str(minutes))
    except ValueError:
        length = 0
    if not 0 < length <= MAX_VISIT_MINUTES:
        raise ValidationFailed("走访时长须为1至1440分钟", "The visit lasts 1 to 1440 minutes",
                               field="minutes")
    if own:
        assert pairing.volunteer_id is not None  # ``own`` says it is set
        visitor = Volunteer.objects.unscoped(reason="service: scope.require checked the actor").get(pk=pairing.volunteer_id)
    elif visitor is not None and not _member(visitor, Team.objects.unscoped(reason="service: scope.require checked the actor").get(
            pk=pairing.team_id)):
        raise ValidationFailed("走访志愿者须为该队伍成员", "The visitor must be a member of the team",
                               field="visitor")
    log = VisitLog.objects.create(
        pairing=pairing, team_path=pairing.team_path, region_path=pairing.region_path,
        visited_on=visited_on, minutes=length, visitor=visitor,
        content=clean_text(content, field="content", label_zh="走访情况", label_en="What was done",
                           max_length=2000, required=True),
        recorded_by=user_or_none(actor))
    Pairing.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=pairing.pk).update(visits=F("visits") + 1)
    audit.record(actor=actor, action=VolunteerAction.VISIT_LOGGED, target=log,
                 data={"pairing": pairing.pk, "minutes": length,
                       "visitor": visitor.pk if visitor else None})
    return log
