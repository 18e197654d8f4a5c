"""Figures of ``wushe stats``: organisations by status, category and current rating.

Eliminated organisations are history, not part of the district's organisations: ``orgs.total``
and ``orgs.by_category.*`` count every other status (they are reported as ``orgs.eliminated``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.orgs.models import Category, Incubation, OrgHonour, OrgStatus, Rating, SocialOrganization

EXCELLENT = "优质社会组织"


@stats_block("orgs")
def org_figures(path: str) -> dict[str, Any]:
    orgs = SocialOrganization.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path))
    live = ~Q(status=OrgStatus.ELIMINATED)
    agg = orgs.aggregate(
        total=Count("pk", filter=live),
        **{f"s_{s}": Count("pk", filter=Q(status=s)) for s in OrgStatus.values},
        **{f"c_{c}": Count("pk", filter=Q(category=c) & live) for c in Category.values},
    )
    out: dict[str, Any] = {"orgs.total": agg["total"]}
    for c in Category.values:
        out[f"orgs.by_category.{c}"] = agg[f"c_{c}"]
    for s in OrgStatus.values:
        out[f"orgs.{s}"] = agg[f"s_{s}"]
    today = dt.date.today()
    grades = dict(Rating.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path),
                                                   awarded_on__lte=today, valid_until__gte=today)
                  .values_list("grade").annotate(n=Count("org", distinct=True))
                  .values_list("grade", "n"))
    for g in range(1, 6):
        out[f"orgs.by_rating.{g}A"] = grades.get(g, 0)
    out["orgs.excellent"] = (OrgHonour.objects.unscoped(reason="kpi: filtered by the region path")
                             .filter(subtree_q("region_path", path), title=EXCELLENT)
                             .values("org").distinct().count())
    out["orgs.incubations_open"] = (Incubation.objects.unscoped(reason="kpi: filtered by the region path")
                                    .filter(subtree_q("region_path", path))
                                    .exclude(stage__in=("graduated", "withdrawn")).count())
    return out
