"""Public endpoints (no account): funds, totals, disbursements with beneficiaries masked."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Schema

from wushe.charity import public
from wushe.charity.api.routers import public_router
from wushe.core.apitypes import Id


class PublicDisbursementOut(Schema):
    paid_on: str
    amount: Decimal
    beneficiary: str  # surname + 某, or a need's or project's public label
    community: str
    kind: str
    people: int


class PublicReportOut(Schema):
    kind: str
    period_start: dt.date
    period_end: dt.date
    figures: dict[str, Any]
    published_at: dt.datetime
    anchor_seq: int
    anchor_hash: str


class PublicFundOut(Schema):
    id: int
    name: str
    kind: str
    kind_label: str
    status_label: str
    region: str
    parent_org: str
    purpose: str
    target_groups: list[str]
    raised: Decimal
    disbursed: Decimal
    management: Decimal
    balance: Decimal
    donations: int
    beneficiaries: int
    recent: list[PublicDisbursementOut]


class PublicFundDetailOut(PublicFundOut):
    enterprise_donors: list[str]
    individual_donors: int
    reports: list[PublicReportOut]


@public_router.get("/funds", response=list[PublicFundOut], auth=None)
def public_funds(request: HttpRequest, kind: str = "") -> Any:
    funds = public.public_funds()
    return [f for f in funds if not kind or f.kind == kind]


@public_router.get("/funds/{fund_id}", response=PublicFundDetailOut, auth=None)
def public_fund(request: HttpRequest, fund_id: Id) -> Any:
    return public.public_fund(fund_id=fund_id)
