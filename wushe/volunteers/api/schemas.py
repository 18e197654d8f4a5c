"""API schemas of the volunteers app: masked by default, Decimal hours as strings."""


import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema

from wushe.core.apitypes import Id
from wushe.volunteers.models import Team, Volunteer, VolunteerApplication, split_tags


class TeamOut(Schema):
    id: int
    code: str
    name: str
    brand: str
    level: str
    parent_id: int | None
    region_code: str
    region_name: str
    active: bool
    members: int
    hours_confirmed: Decimal
    records_confirmed: int

    @staticmethod
    def resolve_code(t: Team) -> str:
        return t.path

    @staticmethod
    def resolve_region_code(t: Team) -> str:
        return t.region.code

    @staticmethod
    def resolve_region_name(t: Team) -> str:
        return t.region.name


class TeamIn(Schema):
    name: str
    level: str
    region_code: str
    parent_id: Id | None = None
    brand: str = ""
    description: str = ""


class TeamPatch(Schema):
    name: str | None = None
    brand: str | None = None
    description: str | None = None
    active: bool | None = None


class TeamTotalsOut(Schema):
    team_id: int
    hours_confirmed: Decimal
    records_confirmed: int
    members: int


class LeaderIn(Schema):
    username: str


class VolunteerOut(Schema):
    """Masked: the API never returns personal data in clear."""

    id: int
    number: str
    name: str
    id_number: str
    gender: str
    region_code: str
    region_name: str
    status: str
    join_date: dt.date
    skills: list[str]
    interests: list[str]
    availability: list[str]
    hours_confirmed: Decimal
    records_confirmed: int
    stars: int | None = None

    @staticmethod
    def resolve_name(v: Volunteer) -> str:
        return v.person.masked_name

    @staticmethod
    def resolve_id_number(v: Volunteer) -> str:
        return v.person.masked_id_number

    @staticmethod
    def resolve_gender(v: Volunteer) -> str:
        return v.person.gender

    @staticmethod
    def resolve_region_code(v: Volunteer) -> str:
        return v.region.code

    @staticmethod
    def resolve_region_name(v: Volunteer) -> str:
        return v.region.name

    @staticmethod
    def resolve_skills(v: Volunteer) -> list[str]:
        return v.skill_list

    @staticmethod
    def resolve_interests(v: Volunteer) -> list[str]:
        return v.interest_list

    @staticmethod
    def resolve_availability(v: Volunteer) -> list[str]:
        return split_tags(v.availability)

    @staticmethod
    def resolve_stars(v: Volunteer) -> int | None:
        return getattr(v, "stars", None)


class GuardianIn(Schema):
    name: str
    id_number: str
    relation: str
    phone: str | None = None


class VolunteerIn(Schema):
    region_code: str
    name: str
    id_number: str
    phone: str | None = None
    team_id: Id | None = None
    skills: list[str] | str = []
    interests: list[str] | str = []
    availability: list[str] | str = []
    join_date: dt.date | None = None
    guardian: GuardianIn | None = None


class VolunteerPatch(Schema):
    skills: list[str] | str | None = None
    interests: list[str] | str | None = None
    availability: list[str] | str | None = None
    status: str | None = None


class MembershipIn(Schema):
    team_id: Id


class MembershipOut(Schema):
    id: int
    team_id: int
    team_name: str
    joined_on: dt.date
    left_on: dt.date | None

    @staticmethod
    def resolve_team_name(m: Any) -> str:
        return m.team.name


class ApplicationOut(Schema):
    id: int
    reference: str
    name: str
    id_number: str
    phone: str
    region_code: str
    team_id: int | None
    status: str
    created_at: dt.datetime
    decision_note: str
    volunteer_id: int | None

    @staticmethod
    def resolve_name(a: VolunteerApplication) -> str:
        return a.masked_name

    @staticmethod
    def resolve_id_number(a: VolunteerApplication) -> str:
        return a.masked_id_number

    @staticmethod
    def resolve_phone(a: VolunteerApplication) -> str:
        return a.masked_phone

    @staticmethod
    def resolve_region_code(a: VolunteerApplication) -> str:
        return a.region.code


class ApplicationIn(Schema):
    region_code: str
    team_id: Id | None = None
    name: str
    id_number: str
    phone: str
    skills: list[str] | str = []
    interests: list[str] | str = []
    availability: list[str] | str = []
    consent: bool = False
    guardian: GuardianIn | None = None


class ApplicationReceipt(Schema):
    reference: str
    status: str


class VolunteerReasonIn(Schema):
    reason: str
