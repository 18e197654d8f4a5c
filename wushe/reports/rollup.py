"""Refresh and read the KPI rollups (models.KpiRollup).

Refresh (``wushe tick`` job ``reports.rollup``, and the demo's last step) computes every KPI
for every district/street/community node with the GROUP BY form of the KPI module
(kpis.base.grouped_many): stocks once (period "all"), flows for "all" and each recent year,
monthly KPIs for each month of those years. Only non-default values are stored; a missing
row reads as the KPI's default (0, or None for rates). The rows recomputed are replaced in
one transaction.

A refresh is full (every kept year) or ``recent_only``: "all" and the current year with its
months, the periods where figures still move. The periodic job runs a recent refresh every
WUSHE_REPORTS_ROLLUP_MINUTES and a full one when the last full run is older than
WUSHE_REPORTS_FULL_ROLLUP_HOURS (default 24), so a late change to a past year shows by the
next day; at city scale a recent refresh costs about a third of a full one.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.db.models.functions import Substr, TruncMonth
from django.utils import timezone

from wushe.accounts.scope import subtree_q
from wushe.reports.kpis import KPIS, Kpi, Period, Unit, grouped_many
from wushe.reports.kpis.base import LEVEL_LENGTHS, _aggregates, _by_source
from wushe.reports.models import KpiRollup, RollupRun

YEARS_KEPT = 5  # the current year and the four before it
BATCH = 2000


def roots() -> list[str]:
    from wushe.regions.models import Region

    return list(Region.objects.unscoped(reason="reference: the region tree").filter(parent=None).order_by("path")
                .values_list("path", flat=True))


def years(today: dt.date | None = None) -> list[int]:
    """The recent years holding flow data (at most YEARS_KEPT, ending this year)."""
    this = (today or timezone.localdate()).year
    first = this
    sources = {k.source.name: k.source for k in KPIS.values() if k.source and k.source.is_flow}
    for source in sources.values():
        field = source.date_field or source.year_field
        lowest = source.rows().aggregate(m=Min(field))["m"]
        if isinstance(lowest, int):
            first = min(first, lowest)
        elif lowest is not None:
            if isinstance(lowest, dt.datetime):
                lowest = timezone.localtime(lowest)
            first = min(first, lowest.year)
    return list(range(max(first, this - YEARS_KEPT + 1), this + 1))


def _monthly(kpis: list[Kpi], tree: list[str], year: int) -> dict[tuple[str, str], dict[str, Any]]:
    """{(node, "YYYY-MM"): {key: value}}: one GROUP BY (node, month) query per source/level."""
    groups, _custom = _by_source(kpis)
    out: dict[tuple[str, str], dict[str, Any]] = {}
    period = Period.year(year)
    for members in groups.values():
        source = members[0].source
        assert source is not None and source.date_field is not None
        for root in tree:
            aggs = _aggregates(members, root)
            base = source.queryset(period).filter(subtree_q(source.path_field, root))
            for length in LEVEL_LENGTHS:
                if length < len(root):
                    continue
                rows = (base.annotate(_node=Substr(source.path_field, 1, length),
                                      _m=TruncMonth(source.date_field))
                        .values("_node", "_m").annotate(**aggs).order_by())
                for row in rows:
                    if len(row["_node"]) != length or row["_m"] is None:
                        continue
                    slot = out.setdefault((row["_node"], f"{row['_m']:%Y-%m}"), {})
                    for i, kpi in enumerate(members):
                        slot[kpi.key] = kpi.finish(row[f"v{i}"], row.get(f"d{i}"))
    return out


def _rows(period: str, values: dict[str, dict[str, Any]]) -> Iterable[KpiRollup]:
    for node, figures in values.items():
        for key, value in figures.items():
            if value is None or value == KPIS[key].default():
                continue  # the default (0; None for rates): not stored
            yield KpiRollup(region_path=node, period=period, key=key, value=float(value))


RECENT = ":recent"  # suffix of a recent-only run's trigger


def refresh(*, trigger: str = "job", kpis: Iterable[Kpi] | None = None,
            recent_only: bool = False) -> dict[str, Any]:
    """Recompute the rollups (all kept years, or only "all" and the current year) and replace
    those rows; returns what a job reports."""
    started_at = timezone.now()
    t0 = time.perf_counter()
    chosen = list(kpis) if kpis is not None else list(KPIS.values())
    tree = roots()
    stocks = [k for k in chosen if not k.is_flow]
    flows = [k for k in chosen if k.is_flow]
    monthly = [k for k in flows if k.monthly]
    batch: list[KpiRollup] = list(_rows("all", grouped_many(stocks + flows, tree, Period.all())))
    kept = years()
    redo = kept[-1:] if recent_only else kept
    for year in redo:
        batch.extend(_rows(str(year), grouped_many(flows, tree, Period.year(year))))
        for (node, month), figures in _monthly(monthly, tree, year).items():
            batch.extend(_rows(month, {node: figures}))
    with transaction.atomic():
        if recent_only:
            KpiRollup.objects.filter(period__in=["all", *map(str, redo), *(
                f"{y}-{m:02d}" for y in redo for m in range(1, 13))]).delete()
        else:
            KpiRollup.objects.all().delete()
        KpiRollup.objects.bulk_create(batch, batch_size=BATCH)
        run = RollupRun.objects.create(started_at=started_at, finished_at=timezone.now(),
                                       seconds=round(time.perf_counter() - t0, 3),
                                       rows=len(batch), years=kept,
                                       trigger=trigger + (RECENT if recent_only else ""))
        RollupRun.objects.exclude(pk=run.pk).filter(
            finished_at__lt=run.finished_at - dt.timedelta(days=30)).delete()
    return {"rows": len(batch), "years": kept, "recomputed": redo, "full": not recent_only,
            "seconds_compute": run.seconds}


def last_run() -> RollupRun | None:
    return RollupRun.objects.order_by("-finished_at").first()


def last_full_run() -> RollupRun | None:
    return (RollupRun.objects.exclude(trigger__endswith=RECENT)
            .order_by("-finished_at").first())


def _typed(kpi: Kpi, value: float | None) -> Any:
    if value is None:
        return kpi.default()
    if kpi.unit in (Unit.COUNT, Unit.PEOPLE):
        return int(round(value))
    return value


def read(path: str, period: Period, keys: Iterable[str] | None = None) -> dict[str, Any]:
    """Rolled-up values of one node: flows for ``period``, stocks from "all". One query."""
    chosen = [KPIS[k] for k in keys] if keys is not None else list(KPIS.values())
    stored = {(p, k): v for p, k, v in KpiRollup.objects.filter(
        region_path=path, period__in={"all", period.key}, key__in=[k.key for k in chosen])
        .values_list("period", "key", "value")}
    out = {}
    for kpi in chosen:
        at = period.key if kpi.is_flow else "all"
        out[kpi.key] = _typed(kpi, stored.get((at, kpi.key)))
    return out


def read_children(paths: list[str], period: Period, keys: list[str]) -> dict[str, dict[str, Any]]:
    """Rolled-up values of several nodes (the children of a region). One query."""
    stored: dict[str, dict[str, float | None]] = {}
    for node, p, key, value in KpiRollup.objects.filter(
            region_path__in=paths, period__in={"all", period.key}, key__in=keys) \
            .values_list("region_path", "period", "key", "value"):
        kpi = KPIS[key]
        if p == (period.key if kpi.is_flow else "all"):
            stored.setdefault(node, {})[key] = value
    return {node: {k: _typed(KPIS[k], stored.get(node, {}).get(k)) for k in keys}
            for node in paths}


def read_months(path: str, year: int, keys: list[str]) -> dict[str, list[Any]]:
    """Twelve monthly values per key for one node. One query."""
    stored = {(p, k): v for p, k, v in KpiRollup.objects.filter(
        region_path=path, period__in=[f"{year}-{m:02d}" for m in range(1, 13)], key__in=keys)
        .values_list("period", "key", "value")}
    return {k: [_typed(KPIS[k], stored.get((f"{year}-{m:02d}", k))) for m in range(1, 13)]
            for k in keys}
