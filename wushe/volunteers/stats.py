"""Figures of the volunteers app for ``wushe stats`` (the seed text's volunteer KPIs)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.volunteers.models import (
    Activity,
    ActivityStatus,
    RecordStatus,
    ServiceRecord,
    Team,
    TeamLevel,
    Volunteer,
)
from wushe.volunteers.stars import MAX_STARS, StarScale


@stats_block("volunteers")
def volunteer_figures(path: str) -> dict[str, Any]:
    volunteers = Volunteer.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path))
    scale = StarScale.load()
    agg = volunteers.aggregate(
        total=Count("pk"),
        **{f"s{n}": Count("pk", filter=scale.band_q(n, path)) for n in range(1, MAX_STARS + 1)})
    teams = dict(Team.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path))
                 .values_list("level").annotate(n=Count("pk")).values_list("level", "n"))
    hours = (ServiceRecord.objects.unscoped(reason="kpi: filtered by the region path")
             .filter(subtree_q("region_path", path), status=RecordStatus.CONFIRMED,
                     superseded_by=None).aggregate(h=Sum("hours"))["h"]) or Decimal(0)
    activities = Activity.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path)).filter(
        ~Q(status=ActivityStatus.CANCELLED)).count()
    out: dict[str, Any] = {
        "volunteers.total": agg["total"],
        "volunteers.activities": activities,
        # JSON has no Decimal: hours as a number with its two decimals.
        "volunteers.hours_confirmed": float(hours),
    }
    for level in TeamLevel.values:
        out[f"volunteers.teams.{level}"] = teams.get(level, 0)
    for n in range(1, MAX_STARS + 1):
        out[f"volunteers.stars.{n}"] = agg[f"s{n}"]
    return out
