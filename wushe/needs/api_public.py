"""Public endpoints (no account), mounted at /api/v1/public by config/api.py: 点单 intake,
tracking by code, the resident's rating, ideas. Rate-limited per IP."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from wushe.core.apitypes import SmallInt
from wushe.core.context import client_ip
from wushe.needs import confirm, ratelimit, selectors, services
from wushe.needs.categories import CATEGORIES, NeedGroup, Urgency

public_router = Router(tags=["public"])


class NeedSubmitIn(Schema):
    category: str
    description: str
    community: str
    contact_name: str
    contact_phone: str
    consent: bool = False
    target_group: str = NeedGroup.GENERAL
    urgency: str = Urgency.NORMAL
    # SMS about the progress: a confirmation code first, updates once it is entered.
    notify: bool = False


class TrackingOut(Schema):
    tracking_code: str


class Bilingual(Schema):
    zh: str = ""
    en: str = ""


class TimelineItem(Schema):
    at: dt.datetime
    action: str
    label: Bilingual


class PublicNeedOut(Schema):
    tracking_code: str
    category: str
    category_name: Bilingual
    community: str
    status: str
    status_name: Bilingual
    merged: bool
    received_at: dt.datetime
    due_on: dt.date | None
    resolved_at: dt.datetime | None
    can_rate: bool
    satisfaction: int | None
    timeline: list[TimelineItem]


class NeedRatingIn(Schema):
    score: SmallInt
    comment: str = ""


class NeedRatingOut(Schema):
    tracking_code: str
    status: str
    reopened: bool


class CategoryOut(Schema):
    code: str
    zh: str
    en: str
    kind: str


class IdeaIn(Schema):
    title: str
    body: str
    community: str
    name: str
    phone: str
    consent: bool = False


class IdeaCodeOut(Schema):
    code: str


@public_router.get("/needs/categories", auth=None, response=list[CategoryOut],
                   url_name="public_need_categories")
def public_need_categories(request: HttpRequest) -> list[dict[str, str]]:
    """The stable category codes accepted by POST /public/needs."""
    return [{"code": c.code, "zh": c.zh, "en": c.en, "kind": str(c.kind)}
            for c in CATEGORIES.values()]


@public_router.post("/needs", auth=None, response={200: TrackingOut, 201: TrackingOut},
                    url_name="public_need_submit")
def public_need_submit(request: HttpRequest, body: NeedSubmitIn) -> Status[dict[str, str]]:
    """Submit a need (点单) without an account. Send an ``Idempotency-Key`` header (e.g. a
    UUID) to make retries safe: the same key returns the first tracking code (200)."""
    key = request.headers.get("Idempotency-Key")
    ratelimit.hit("intake", client_ip(request.META))  # type: ignore[arg-type]
    done = services.need_submit_public(
        category=body.category, description=body.description, community=body.community,
        contact_name=body.contact_name, contact_phone=body.contact_phone, consent=body.consent,
        idempotency_key=key, target_group=body.target_group, urgency=body.urgency,
        notify=body.notify)
    return Status(201 if done.created else 200, {"tracking_code": done.need.tracking_code})


@public_router.get("/needs/{tracking_code}", auth=None, response=PublicNeedOut,
                   url_name="public_need_track")
def public_need_track(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    """Status and timeline of a need by its tracking code. No personal data."""
    ratelimit.hit("tracking", client_ip(request.META))  # type: ignore[arg-type]
    return selectors.public_view(tracking_code=tracking_code)


@public_router.post("/needs/{tracking_code}/rating", auth=None, response=NeedRatingOut,
                    url_name="public_need_rate")
def public_need_rate(request: HttpRequest, tracking_code: str, body: NeedRatingIn) -> dict[str, Any]:
    """Rate a resolved need 1–5; 1–2 reopens it for review."""
    ratelimit.hit("intake", client_ip(request.META))  # type: ignore[arg-type]
    need = services.need_rate_public(tracking_code=tracking_code, score=body.score,
                                     comment=body.comment)
    return {"tracking_code": need.tracking_code, "status": need.state,
            "reopened": need.state != "closed"}


class SmsCodeIn(Schema):
    code: str


class SmsStatusOut(Schema):
    tracking_code: str
    confirmed: bool
    locked: bool
    codes_left: int


def _sms_out(tracking_code: str) -> dict[str, Any]:
    status = selectors.public_sms_status(tracking_code=tracking_code) or {}
    return {"tracking_code": tracking_code, "confirmed": status.get("confirmed", False),
            "locked": status.get("locked", False), "codes_left": status.get("codes_left", 0)}


@public_router.post("/needs/{tracking_code}/confirm-sms", auth=None, response=SmsStatusOut,
                    url_name="public_need_confirm_sms")
def public_need_confirm_sms(request: HttpRequest, tracking_code: str,
                            body: SmsCodeIn) -> dict[str, Any]:
    """Enter the 6-digit code sent by SMS: progress SMS follow from then on. A wrong code is
    counted; 5 wrong codes lock the SMS updates (409 ``sms_locked``); a code is valid 10
    minutes (400 ``sms_code_expired``: ask for another)."""
    ratelimit.hit("intake", client_ip(request.META))  # type: ignore[arg-type]
    sub = confirm.need_sms_confirm(tracking_code=tracking_code, code=body.code)
    return _sms_out(sub.need.tracking_code)


@public_router.post("/needs/{tracking_code}/resend-sms", auth=None, response=SmsStatusOut,
                    url_name="public_need_resend_sms")
def public_need_resend_sms(request: HttpRequest, tracking_code: str) -> dict[str, Any]:
    """Send another confirmation code: at most 3 a request, one a minute (409 otherwise)."""
    ratelimit.hit("intake", client_ip(request.META))  # type: ignore[arg-type]
    sub = services.need_sms_code_resend(tracking_code=tracking_code)
    return _sms_out(sub.need.tracking_code)


@public_router.post("/ideas", auth=None, response={201: IdeaCodeOut}, url_name="public_idea_submit")
def public_idea_submit(request: HttpRequest, body: IdeaIn) -> Status[dict[str, str]]:
    """Submit a self-governance idea (自治金点子)."""
    ratelimit.hit("intake", client_ip(request.META))  # type: ignore[arg-type]
    idea = services.idea_submit_public(title=body.title, body=body.body, community=body.community,
                                       name=body.name, phone=body.phone, consent=body.consent)
    return Status(201, {"code": idea.code})
