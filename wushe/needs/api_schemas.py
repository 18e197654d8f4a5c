"""Schemas of the needs API. Personal data is masked; the description is shown to those who
may see the need (they handle it); nothing here unmasks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Schema

from wushe.accounts.labels import user_label
from wushe.core.apitypes import Id, SmallInt
from wushe.needs import sla
from wushe.needs.categories import Channel, NeedGroup, Urgency
from wushe.needs.models import Need


class NeedOut(Schema):
    id: int
    tracking_code: str
    channel: str
    category: str
    category_name: str
    target_group: str
    urgency: str
    state: str
    state_name: str
    received_at: dt.datetime
    due_on: dt.date
    sla: str
    escalation_level: int
    community_name: str
    region_path: str
    society_count: int
    satisfaction: int | None
    contact_name: str

    @staticmethod
    def resolve_state_name(n: Need) -> str:
        return str(n.get_state_display())

    @staticmethod
    def resolve_sla(n: Need) -> str:
        return sla.colour(n.state, n.due_on, timezone.localdate())

    @staticmethod
    def resolve_community_name(n: Need) -> str:
        return n.community.name

    @staticmethod
    def resolve_contact_name(n: Need) -> str:
        return n.masked_contact_name


class NeedEventOut(Schema):
    at: dt.datetime
    action: str
    from_state: str
    to_state: str
    actor_name: str
    note: str
    data: dict[str, Any]

    @staticmethod
    def resolve_actor_name(e: Any) -> str:
        # The account's display name, not the username stored with older rows.
        return user_label(e.actor) if e.actor_id else e.actor_name


class AssignmentOut(Schema):
    id: int
    society: str
    object_id: str
    label: str
    role: str
    state: str
    score: Decimal | None
    reasons: list[dict[str, Any]]
    external_ref: str
    return_reason: str
    assigned_at: dt.datetime
    taken_at: dt.datetime | None
    finished_at: dt.datetime | None


class NeedDetailOut(Schema):
    id: int
    tracking_code: str
    channel: str
    category: str
    target_group: str
    urgency: str
    state: str
    description: str
    result: str
    contact_name: str
    contact_phone: str
    community_code: str
    region_code: str
    received_at: dt.datetime
    due_on: dt.date
    sla: str
    escalation_level: int
    extensions: int
    reopened_count: int
    satisfaction: int | None
    societies: list[str]
    merged_into: str | None
    duplicate_of: int | None
    resolved_on_time: bool | None


def need_detail(n: Need) -> dict[str, Any]:
    return {
        "id": n.pk, "tracking_code": n.tracking_code, "channel": n.channel,
        "category": n.category, "target_group": n.target_group, "urgency": n.urgency,
        "state": n.state, "description": n.description, "result": n.result,
        "contact_name": n.masked_contact_name, "contact_phone": n.masked_contact_phone,
        "community_code": n.community.code, "region_code": n.region.code,
        "received_at": n.received_at, "due_on": n.due_on,
        "sla": sla.colour(n.state, n.due_on, timezone.localdate()),
        "escalation_level": n.escalation_level, "extensions": n.extensions,
        "reopened_count": n.reopened_count, "satisfaction": n.satisfaction,
        "societies": n.society_list,
        "merged_into": n.merged_into.tracking_code if n.merged_into_id and n.merged_into else None,
        "duplicate_of": n.duplicate_of_id, "resolved_on_time": n.resolved_on_time,
    }


class IntakeIn(Schema):
    channel: str = Channel.WINDOW
    region: str  # community code (12 digits), or a grid code (15) for a grid report
    category: str
    description: str
    target_group: str = NeedGroup.GENERAL
    urgency: str = Urgency.NORMAL
    contact_name: str = ""
    contact_phone: str = ""
    confirm_duplicate: bool = False
    source_ref: str = ""


class NeedNoteIn(Schema):
    note: str = ""


class NeedReasonIn(Schema):
    reason: str = ""
    days: SmallInt | None = None  # extension
    into: Id | None = None  # merge target


class NeedResolveIn(Schema):
    result: str


class NeedFollowUpIn(Schema):
    method: str = "call"
    note: str = ""
    score: SmallInt | None = None


class AssignmentIn(Schema):
    society: str
    object_id: str
    role: str = "support"
    # For a charity fund: the amount to request, in yuan (text, so no float rounding).
    amount: str | None = None


class DispatchIn(Schema):
    assignments: list[AssignmentIn]
    note: str = ""


class ReasonPart(Schema):
    code: str
    points: float
    zh: str
    en: str


class CandidateOut(Schema):
    society: str
    object_id: str
    label: str
    score: float
    reasons: list[ReasonPart]


class NeedUnmaskIn(Schema):
    field: str
    purpose: str


class NeedUnmaskOut(Schema):
    field: str
    value: str


class MenuRowOut(Schema):
    area: str
    area_name: str
    category: str
    category_name: str
    target_group: str
    total: int
    open: int
    done: int
    on_time: int
    satisfaction: float | None


class IdeaOut(Schema):
    id: int
    code: str
    title: str
    body: str
    community_code: str
    community_name: str
    channel: str
    state: str
    submitted_at: dt.datetime
    decision_reason: str
    project_ref: str
    comment_count: int
    submitter: str

    @staticmethod
    def resolve_community_code(i: Any) -> str:
        return str(i.region.code)

    @staticmethod
    def resolve_community_name(i: Any) -> str:
        return str(i.region.name)

    @staticmethod
    def resolve_submitter(i: Any) -> str:
        return str(i.masked_submitter)


class IdeaStaffIn(Schema):
    community: str
    title: str
    body: str
    submitter_name: str = ""


class IdeaCommentIn(Schema):
    body: str


class IdeaCommentOut(Schema):
    id: int
    author_name: str
    body: str
    at: dt.datetime

    @staticmethod
    def resolve_author_name(c: Any) -> str:
        return user_label(c.author) if c.author_id else c.author_name


class IdeaDecisionIn(Schema):
    adopt: bool
    reason: str = ""
    project_ref: str = ""
