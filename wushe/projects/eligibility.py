"""Which organisations may be selected to deliver a project in a cycle (承接主体资格).

An organisation is eligible when it is active (filed or registered: not incubating, suspended
or eliminated), no registered check refuses it for the year (hooks.ineligible_reasons: e.g.
wushe.evaluation refuses organisations eliminated in the previous cycle), and it meets the local
rules ``projects.min_rating`` (current rating, 0 = any) and ``projects.required_categories``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from wushe.accounts.actor import Actor
from wushe.orgs.models import OrgStatus, Rating, SocialOrganization
from wushe.projects import hooks
from wushe.regions import rules

ACTIVE = (OrgStatus.FILED, OrgStatus.REGISTERED)
STATUS_ZH: dict[str, str] = {OrgStatus.INCUBATING: "孵化中", OrgStatus.SUSPENDED: "已停止活动",
             OrgStatus.ELIMINATED: "已淘汰"}


@dataclass
class Verdict:
    org: SocialOrganization
    rating: int = 0
    reasons: list[tuple[str, str]] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return not self.reasons


def _ratings(org_ids: list[int], on: dt.date) -> dict[int, int]:
    rows = (Rating.objects.unscoped(reason="registry: public organisation registry data").filter(org_id__in=org_ids, awarded_on__lte=on,
                                             valid_until__gte=on, ended_reason="")
            .values("org_id").annotate(g=Max("grade")))
    return {r["org_id"]: r["g"] for r in rows}


def judge(orgs: list[SocialOrganization], *, year: int, region_path: str,
          on: dt.date | None = None) -> list[Verdict]:
    """A verdict with every reason for each organisation (reasons in both languages)."""
    on = on or timezone.localdate()
    min_rating = int(rules.value("projects.min_rating", region_path) or 0)
    categories = {c.strip() for c in str(rules.value("projects.required_categories",
                                                     region_path) or "").split(",") if c.strip()}
    grades = _ratings([o.pk for o in orgs], on)
    out = []
    for org in orgs:
        v = Verdict(org=org, rating=grades.get(org.pk, 0))
        if org.status not in ACTIVE:
            zh = STATUS_ZH.get(org.status, org.status)
            v.reasons.append((f"组织状态为“{zh}”", f"The organisation is {org.status}"))
        if min_rating and v.rating < min_rating:
            v.reasons.append((f"评估等级低于{min_rating}A", f"Rated below {min_rating}A"))
        if categories and org.category not in categories:
            v.reasons.append(("组织类别不符合要求", "Not of a required category"))
        v.reasons.extend(hooks.ineligible_reasons(org, year))
        out.append(v)
    return out


def candidates(orgs: QuerySet[SocialOrganization], *, year: int, region_path: str,
               search: str = "", limit: int = 50) -> list[Verdict]:
    """Active organisations (optionally by name), judged; eligible ones first."""
    qs = orgs.filter(status__in=ACTIVE)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(credit_code=search.upper()))
    verdicts = judge(list(qs.order_by("name")[:limit]), year=year, region_path=region_path)
    return sorted(verdicts, key=lambda v: (not v.eligible, -v.rating, v.org.name))


def provider_candidates(actor: Actor, *, year: int, region_path: str, search: str = "",
                        limit: int = 50) -> list[Verdict]:
    """The organisations the actor may see, judged for a project (the selection page and API)."""
    from wushe.orgs.access import visible

    return candidates(visible(SocialOrganization, actor), year=year, region_path=region_path,
                      search=search, limit=limit)


def reasons_for(org: Any, *, year: int, region_path: str) -> list[tuple[str, str]]:
    return judge([org], year=year, region_path=region_path)[0].reasons
