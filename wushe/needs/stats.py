"""Figures of the needs block for ``wushe stats --json`` (and the dashboards later).

* needs.total, needs.by_channel.*, needs.by_status.*, needs.by_target_group.* — counts of
  needs received in the region (merged duplicates included: they were received).
* needs.on_time_rate — of needs resolved (办结) at least once, the share resolved by their
  working-day deadline; None when nothing is resolved yet.
* needs.satisfaction_avg — the mean of the current ratings (1–5) of rated needs.
* needs.linkage_rate — of needs resolved and after (办结, 回访, 评价), the share served by at
  least two of the five societies (五社联动率).
* needs.ledgers — active hardship ledgers (特殊困难群体台账); needs.ideas — ideas received.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Avg, Count, Q

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.needs.categories import Channel, NeedGroup
from wushe.needs.models import Idea, Need
from wushe.needs.workflow import DONE, State

LINKAGE_MIN_SOCIETIES = 2


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


@stats_block("needs")
def needs_figures(path: str) -> dict[str, Any]:
    needs = Need.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path))
    agg = needs.aggregate(
        total=Count("id"),
        **{f"c_{c}": Count("id", filter=Q(channel=c)) for c in Channel.values},
        **{f"s_{s}": Count("id", filter=Q(state=s)) for s in State.values},
        **{f"g_{g}": Count("id", filter=Q(target_group=g)) for g in NeedGroup.values},
        timed=Count("id", filter=Q(resolved_on_time__isnull=False)),
        on_time=Count("id", filter=Q(resolved_on_time=True)),
        satisfaction=Avg("satisfaction"),
        done=Count("id", filter=Q(state__in=DONE)),
        linked=Count("id", filter=Q(state__in=DONE, society_count__gte=LINKAGE_MIN_SOCIETIES)),
    )
    out: dict[str, Any] = {"needs.total": agg["total"]}
    out.update({f"needs.by_channel.{c}": agg[f"c_{c}"] for c in Channel.values})
    out.update({f"needs.by_status.{s}": agg[f"s_{s}"] for s in State.values})
    out.update({f"needs.by_target_group.{g}": agg[f"g_{g}"] for g in NeedGroup.values
                if g != NeedGroup.GENERAL})
    out["needs.on_time_rate"] = _rate(agg["on_time"], agg["timed"])
    out["needs.satisfaction_avg"] = (round(float(agg["satisfaction"]), 2)
                                     if agg["satisfaction"] is not None else None)
    out["needs.linkage_rate"] = _rate(agg["linked"], agg["done"])
    out["needs.ideas"] = Idea.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path)).count()
    return out
