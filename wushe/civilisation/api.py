"""新时代文明实践 API at /api/v1/civilisation: practice sites (centre / 所 / 站, the accountable
leader masked, the other names of the same place) and 结对共建 pairings, read-only. A site
out of scope answers 404 like a missing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from wushe.civilisation import selectors
from wushe.civilisation.models import PracticeSite
from wushe.core.apitypes import Id
from wushe.core.paging import paginate

router = Router(tags=["civilisation"])


class PracticeSiteOut(Schema):
    id: int
    level: str
    name: str
    region_code: str
    parent_id: int | None
    leader: str  # masked
    leader_post: str
    teams: list[str]


class PracticeSiteDetailOut(PracticeSiteOut):
    other_names: list[str]


class CivilisationPairingOut(Schema):
    id: int
    community_code: str
    partner_kind: str
    partner_name: str
    starts_on: dt.date
    ends_on: dt.date | None
    activities: int


def site_out(s: PracticeSite) -> dict[str, Any]:
    return {"id": s.pk, "level": s.level, "name": s.name, "region_code": s.region.code,
            "parent_id": s.parent_id, "leader": s.masked_leader, "leader_post": s.leader_post,
            "teams": [t.name for t in s.teams.all().unscoped(reason="children of a row read in scope")]}  # type: ignore[attr-defined]


@router.get("/sites", response=list[PracticeSiteOut])
@paginate
def site_list(request: HttpRequest) -> Any:
    return [site_out(s) for s in selectors.site_list(actor=request.user)]


@router.get("/sites/{site_id}", response=PracticeSiteDetailOut)
def site_detail(request: HttpRequest, site_id: Id) -> dict[str, Any]:
    site = selectors.site_get(actor=request.user, site_id=site_id)  # in scope: its rows too
    others = site.other_names.all().unscoped(reason="children of a row read in scope")  # type: ignore[attr-defined]
    return {**site_out(site), "other_names": [o.name for o in others]}


@router.get("/pairings", response=list[CivilisationPairingOut])
@paginate
def pairing_list(request: HttpRequest) -> Any:
    return [{"id": p.pk, "community_code": p.community.code, "partner_kind": p.partner_kind,
             "partner_name": p.partner_name, "starts_on": p.starts_on, "ends_on": p.ends_on,
             "activities": p.activity_count}  # type: ignore[attr-defined]
            for p in selectors.pairing_list(actor=request.user)]
