"""API schemas of activities, service records, certificates, pairing and import jobs."""

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema

from wushe.core.apitypes import Id, SmallInt
from wushe.volunteers.models import Activity, Certificate, Pairing, ServiceRecord, split_tags


class ActivityOut(Schema):
    id: int
    team_id: int
    team_name: str
    region_code: str
    title: str
    kind: str
    target_groups: list[str]
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: int
    signed_up: int
    risky: bool
    insurance_note: str
    status: str
    description: str

    @staticmethod
    def resolve_team_name(a: Activity) -> str:
        return a.team.name

    @staticmethod
    def resolve_region_code(a: Activity) -> str:
        return a.region.code

    @staticmethod
    def resolve_target_groups(a: Activity) -> list[str]:
        return split_tags(a.target_groups)


class ActivityIn(Schema):
    team_id: Id
    region_code: str
    title: str
    kind: str
    place: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    capacity: SmallInt
    target_groups: list[str] | str = []
    description: str = ""
    risky: bool = False
    insurance_note: str = ""


class ActivityPatch(Schema):
    title: str | None = None
    kind: str | None = None
    place: str | None = None
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    capacity: SmallInt | None = None
    target_groups: list[str] | str | None = None
    description: str | None = None
    risky: bool | None = None
    insurance_note: str | None = None


class ActivityStatusIn(Schema):
    status: str


class SignUpIn(Schema):
    volunteer_id: Id | None = None  # omitted: the caller's own volunteer record


class SignUpOut(Schema):
    id: int
    activity_id: int
    volunteer_id: int
    volunteer_number: str
    status: str
    checked_in_at: dt.datetime | None
    checked_out_at: dt.datetime | None

    @staticmethod
    def resolve_volunteer_number(s: Any) -> str:
        return s.volunteer.number


class CheckInIn(Schema):
    at: dt.datetime | None = None


class CheckOutIn(Schema):
    at: dt.datetime | None = None
    hours: str | None = None
    content: str | None = None


class RecordOut(Schema):
    id: int
    volunteer_id: int
    volunteer_number: str
    team_id: int
    activity_id: int | None
    started_at: dt.datetime
    ended_at: dt.datetime
    service_date: dt.date
    hours: Decimal
    content: str
    status: str
    effective: bool
    corrects_id: int | None
    reason: str
    superseded_by_id: int | None
    reject_reason: str

    @staticmethod
    def resolve_volunteer_number(r: ServiceRecord) -> str:
        return r.volunteer.number


class ServiceRecordIn(Schema):
    volunteer_id: Id
    team_id: Id
    started_at: dt.datetime
    ended_at: dt.datetime
    hours: str
    content: str
    activity_id: Id | None = None


class ConfirmIn(Schema):
    ids: list[Id]


class CorrectIn(Schema):
    hours: str
    reason: str
    started_at: dt.datetime | None = None
    ended_at: dt.datetime | None = None
    content: str | None = None


class CorrectionRequestIn(Schema):
    proposed_hours: str
    reason: str


class CorrectionRequestOut(Schema):
    id: int
    record_id: int
    volunteer_id: int
    proposed_hours: Decimal
    reason: str
    status: str
    decision_note: str
    decided_at: dt.datetime | None
    correction_id: int | None


class DecideIn(Schema):
    accept: bool
    note: str = ""
    hours: str | None = None


class CertificateOut(Schema):
    id: int
    number: str
    volunteer_id: int
    team_id: int
    period_start: dt.date
    period_end: dt.date
    hours: Decimal
    records: int
    issued_at: dt.datetime
    valid: bool
    revoked_at: dt.datetime | None
    revoke_reason: str
    snapshot: dict[str, Any]


class CertificateIn(Schema):
    volunteer_id: Id
    team_id: Id
    period_start: dt.date
    period_end: dt.date


class PublicCertificateOut(Schema):
    """What anyone may see by number: the masked snapshot and whether it stands."""

    number: str
    valid: bool
    revoked_at: dt.datetime | None
    name: str
    id_number: str
    volunteer_number: str
    period_start: str
    period_end: str
    hours: str
    records: int
    issuer: str
    issued_at: str

    @staticmethod
    def resolve_name(c: Certificate) -> str:
        return str(c.snapshot["name"])

    @staticmethod
    def resolve_id_number(c: Certificate) -> str:
        return str(c.snapshot["id_number"])

    @staticmethod
    def resolve_volunteer_number(c: Certificate) -> str:
        return str(c.snapshot["volunteer_number"])

    @staticmethod
    def resolve_period_start(c: Certificate) -> str:
        return str(c.snapshot["period_start"])

    @staticmethod
    def resolve_period_end(c: Certificate) -> str:
        return str(c.snapshot["period_end"])

    @staticmethod
    def resolve_hours(c: Certificate) -> str:
        return str(c.snapshot["hours"])

    @staticmethod
    def resolve_issuer(c: Certificate) -> str:
        return str(c.snapshot["issuer"])

    @staticmethod
    def resolve_issued_at(c: Certificate) -> str:
        return str(c.snapshot["issued_at"])


class PairingOut(Schema):
    id: int
    team_id: int
    volunteer_id: int | None
    person_id: int
    person_name: str
    region_code: str
    target_group: str
    started_on: dt.date
    ended_on: dt.date | None
    status: str
    visits: int

    @staticmethod
    def resolve_person_name(p: Pairing) -> str:
        return p.person.masked_name

    @staticmethod
    def resolve_region_code(p: Pairing) -> str:
        return p.region.code


class PairingIn(Schema):
    team_id: Id
    person_id: Id
    target_group: str
    volunteer_id: Id | None = None
    needs: str = ""
    started_on: dt.date | None = None


class VisitIn(Schema):
    visited_on: dt.date
    minutes: SmallInt
    content: str
    visitor_id: Id | None = None


class VisitOut(Schema):
    id: int
    visited_on: dt.date
    minutes: int
    visitor_id: int | None
    content: str


class JobOut(Schema):
    id: str
    status: str
    phase: str
    percent: int
    total: int
    done: int
    result: dict[str, Any] | None = None
    error: dict[str, str] | None = None
