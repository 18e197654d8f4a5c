"""Writes of volunteers: staff registration, profile changes, memberships, account link."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from wushe.accounts import scope
from wushe.accounts.models import User
from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.core.services import service
from wushe.regions.models import Region, RegionLevel
from wushe.volunteers import access
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import (
    Availability,
    Membership,
    ServiceArea,
    Team,
    Volunteer,
    VolunteerStatus,
)
from wushe.volunteers.services.common import (
    clean_codes,
    clean_skills,
    volunteer_numbers,
)
from wushe.volunteers.services.persons import (
    GuardianSpec,
    guardian_person,
    needs_guardian,
    person_find_or_create,
    volunteering_consent,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


@dataclass(frozen=True)
class Registration:
    """What a registration form, the API or an approved application supplies."""

    name: object
    id_number: object
    phone: object = None
    skills: object = ""
    interests: object = ""
    availability: object = ""
    join_date: dt.date | None = None
    guardian: GuardianSpec | None = None
    consented_at: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def check_community(region: Region, district: str) -> None:
    if region.level not in (RegionLevel.COMMUNITY, RegionLevel.GRID):
        raise ValidationFailed("志愿者须登记到社区(村)", "A volunteer is registered in a community "
                               "or village", code="region_level", field="region")
    if district and not region.path.startswith(district):
        raise ValidationFailed("社区不在本区", "The community is not in this district",
                               field="region")


def clean_profile(skills: object, interests: object, availability: object) -> dict[str, str]:
    return {
        "skills": clean_skills(skills),
        "interests": clean_codes(interests, ServiceArea.choices, field="interests",
                                 label_zh="服务意向", label_en="Service interest"),
        "availability": clean_codes(availability, Availability.choices, field="availability",
                                    label_zh="可服务时间", label_en="Availability"),
    }


def join_team(*, actor: Actor, volunteer: Volunteer, team: Team,
              joined_on: dt.date | None = None) -> Membership | None:
    """Add a membership (no permission check: callers check); None if already a member."""
    if not team.active:
        raise ValidationFailed("该队伍已停用", "This team is no longer active", field="team")
    existing = Membership.objects.unscoped(reason="service: scope.require checked the actor").filter(volunteer=volunteer, team=team).first()
    if existing is not None and existing.left_on is None:
        return None
    if existing is not None:  # rejoining
        Membership.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=existing.pk).update(
            left_on=None, joined_on=joined_on or timezone.localdate())
        membership = existing
    else:
        membership = Membership.objects.create(
            volunteer=volunteer, team=team, team_path=team.path, region_path=team.region_path,
            joined_on=joined_on or timezone.localdate())
    Team.objects.unscoped(reason="service: scope.require checked the actor").filter(pk=team.pk).update(members=F("members") + 1)
    audit.record(actor=actor, action=VolunteerAction.MEMBERSHIP_ADDED, target=membership,
                 label=volunteer.number, data={"volunteer": volunteer.pk, "team": team.pk})
    return membership


def register(*, actor: Actor, region: Region, team: Team | None, data: Registration,
             event: VolunteerAction = VolunteerAction.VOLUNTEER_REGISTERED) -> tuple[Volunteer, bool]:
    """Create the volunteer (or find the existing one and add it to ``team``).

    The caller has checked permission. Returns (volunteer, created).
    """
    check_community(region, team.region_path[:6] if team else "")
    person = person_find_or_create(actor=actor, region=region, name=data.name,
                                   id_number=data.id_number, phone=data.phone)
    existing = Volunteer.objects.unscoped(reason="uniqueness check, no row shown").filter(person=person).first()
    if existing is not None:
        if team is None or not join_team(actor=actor, volunteer=existing, team=team):
            raise Conflict("该人员已注册为志愿者", "This person is already a registered volunteer",
                           code="already_volunteer", field="id_number")
        return existing, False
    profile = clean_profile(data.skills, data.interests, data.availability)
    guardian = None
    relation = ""
    if needs_guardian(str(person.id_number)):
        if data.guardian is None or not data.guardian.name:
            raise ValidationFailed("不满14周岁的志愿者须由监护人同意并登记监护人信息",
                                   "A volunteer under 14 needs a guardian's consent and details",
                                   code="guardian_required", field="guardian_name")
        guardian = guardian_person(actor=actor, region=region, spec=data.guardian, child=person)
        relation = data.guardian.relation
    consent = volunteering_consent(actor=actor, person=person, given_at=data.consented_at,
                                   guardian=guardian, relation=relation)
    district = region.path[:6]
    number = volunteer_numbers(district, 1)[0]
    volunteer = Volunteer.objects.create(
        person=person, number=number, region=region, region_path=region.path,
        join_date=data.join_date or timezone.localdate(), consent=consent, **profile)
    if team is not None:
        join_team(actor=actor, volunteer=volunteer, team=team, joined_on=volunteer.join_date)
    audit.record(actor=actor, action=event, target=volunteer, label=person.masked_name,
                 data={"number": number, "team": team.pk if team else None,
                       "guardian": guardian is not None, **data.extra})
    return volunteer, True


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
