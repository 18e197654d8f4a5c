"""Writes of volunteers: staff registration, profile changes, memberships, account link."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import F
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.models import User
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.services import service
from wushe.regions.models import Region
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import (
    Membership,
    Team,
    Volunteer,
    VolunteerStatus,
)
from wushe.volunteers.services._register import Registration, clean_profile, join_team, register

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@service
def volunteer_register(*, actor: Actor, region: Region, data: Registration,
                       team: Team | None = None) -> Volunteer:
    """Staff registration: by community staff (their community) or a leader (into its team)."""
    if team is not None:
        access.require(actor, access.MANAGE, team)
    else:
        scope.require_region(actor, access.MANAGE, region.path)
    volunteer, _created = register(actor=actor, region=region, team=team, data=data)
    return volunteer


@service
def volunteer_update(*, actor: Actor, volunteer: Volunteer, skills: object = None,
                     interests: object = None, availability: object = None,
                     status: str | None = None) -> Volunteer:
    access.require(actor, access.MANAGE, volunteer)
    current = {"skills": volunteer.skills, "interests": volunteer.interests,
               "availability": volunteer.availability, "status": volunteer.status}
    values = clean_profile(current["skills"] if skills is None else skills,
                            current["interests"] if interests is None else interests,
                            current["availability"] if availability is None else availability)
    values["status"] = current["status"] if status is None else status
    if values["status"] not in VolunteerStatus.values:
        raise ValidationFailed("状态无效", "Unknown status", field="status")
    changes = audit.diff(current, values)
    if changes:
        for k, v in values.items():
            setattr(volunteer, k, v)
        volunteer.save(update_fields=[*values, "updated_at"])
        audit.record(actor=actor, action=VolunteerAction.VOLUNTEER_UPDATED, target=volunteer,
                     label=volunteer.number, data=changes)
    return volunteer


@service
def membership_add(*, actor: Actor, volunteer: Volunteer, team: Team,
                   joined_on: dt.date | None = None) -> Membership:
    access.require(actor, access.MANAGE, team)
    access.require(actor, access.VIEW, volunteer, view_perm=None)
    membership = join_team(actor=actor, volunteer=volunteer, team=team, joined_on=joined_on)
    if membership is None:
        raise Conflict("该志愿者已在此队伍中", "The volunteer is already in this team",
                       code="already_member", field="team")
    return membership


@service
def membership_end(*, actor: Actor, membership: Membership, left_on: dt.date | None = None
                   ) -> Membership:
    team = Team.objects.unscoped(reason="service: scope.require checked the actor").get(pk=membership.team_id)
    access.require(actor, access.MANAGE, team)
    if membership.left_on is not None:
        raise Conflict("该成员已离队", "The member has already left", code="already_left")
    membership.left_on = left_on or timezone.localdate()
    membership.save(update_fields=["left_on", "updated_at"])
    Team.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=team.pk, members__gt=0).update(members=F("members") - 1)
    audit.record(actor=actor, action=VolunteerAction.MEMBERSHIP_ENDED, target=membership,
                 data={"volunteer": membership.volunteer_id, "team": team.pk})
    return membership


@service
def volunteer_link_user(*, actor: Actor, volunteer: Volunteer, user: User | None) -> Volunteer:
    """Bind the volunteer's own login (or unbind): what it then sees is itself alone."""
    if actor is not None:  # None: the system (CLI, demo generator)
        scope.require(actor, "accounts.manage", volunteer, view_perm=access.VIEW)
    if user is not None and Volunteer.objects.unscoped(reason="uniqueness check, no row shown").filter(user=user).exclude(
            pk=volunteer.pk).exists():
        raise Conflict("该账号已绑定其他志愿者", "This account is bound to another volunteer",
                       field="user")
    if user is not None and not user.is_active:
        raise NotFound()
    old = volunteer.user_id
    volunteer.user = user
    volunteer.save(update_fields=["user", "updated_at"])
    audit.record(actor=actor, action=VolunteerAction.VOLUNTEER_LINKED, target=volunteer,
                 label=volunteer.number,
                 data={"old": old, "new": user.pk if user else None})
    if user is not None:
        access.forget(user)
    return volunteer
