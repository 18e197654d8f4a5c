from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.regions.models import Region, RegionLevel, Site, SiteKind


@stats_block("regions")
def region_figures(path: str) -> dict[str, Any]:
    regions = Region.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("path", path))
    agg = regions.aggregate(
        streets=Count("pk", filter=Q(level=RegionLevel.STREET)),
        communities=Count("pk", filter=Q(level=RegionLevel.COMMUNITY)),
        # Population is held at community level; summing only there avoids double counting.
        population=Sum("population", filter=Q(level=RegionLevel.COMMUNITY)),
    )
    out = {
        "regions.streets": agg["streets"],
        "regions.communities": agg["communities"],
        "regions.population": agg["population"] or 0,
    }
    counts = dict(Site.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path), active=True)
                  .values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    for kind in SiteKind.values:
        out[f"sites.{kind}"] = counts.get(kind, 0)
    return out
