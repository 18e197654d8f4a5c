"""Registering a volunteer, shared by staff registration (``volunteers``) and an approved
self-registration (``applications``): the callers check permission and run in their own
transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from wushe.audit import recorder as audit
from wushe.core.errors import Conflict, ValidationFailed
from wushe.regions.models import Region, RegionLevel
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.guardians import GuardianSpec
from wushe.volunteers.models import (
    Availability,
    Membership,
    ServiceArea,
    Team,
    Volunteer,
)
from wushe.volunteers.numbers import volunteer_numbers
from wushe.volunteers.services._persons import (
    guardian_person,
    needs_guardian,
    person_find_or_create,
    volunteering_consent,
)
from wushe.volunteers.validation import clean_codes, clean_skills

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
