"""Each KPI computed independently with hand-written SQL on the generated small district,
compared with the KPI module; and the rollup's values against the live ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import timezone

from wushe.core.figures import collect_stats
from wushe.core.scoping import scopes_disabled
from wushe.demo.build import build_demo
from wushe.reports import kpis, rollup
from wushe.reports.kpis import KPIS, Period
from wushe.reports.models import KpiRollup, RollupRun
from wushe.reports.rawsql import raw_value

DISTRICT, STREET, COMMUNITY = "500107", "500107001", "500107001001"


def _same(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    return abs(float(a) - float(b)) < 1e-6  # type: ignore[arg-type]


@pytest.mark.django_db
def test_every_kpi_equals_raw_sql_and_rollups_equal_live(tmp_path: Path) -> None:
    summary = build_demo(profile="small", seed=2026, out_dir=tmp_path)
    assert summary.steps["reports"]["rollup_rows"] > 0  # the demo's last step filled them
    this = timezone.localdate().year
    periods = [Period.all(), Period.year(this), Period.year(this - 1), Period.month(this, 3)]
    mismatches = []
    with scopes_disabled():
        for path in (DISTRICT, STREET, COMMUNITY):
            for period in periods:
                values = kpis.compute(path, period)
                assert set(values) == set(KPIS)
                for key in KPIS:  # raw_value raises for a KPI nobody wrote SQL for
                    raw = raw_value(key, path, period)
                    if not _same(values[key], raw):
                        mismatches.append((path, period.key, key, values[key], raw))
        assert not mismatches, mismatches[:20]
        # The dataset is not trivially empty: most district figures are non-zero.
        everything = kpis.compute(DISTRICT, Period.all())
        assert sum(1 for v in everything.values() if v) > 0.7 * len(everything)
        # wushe stats and the KPI module agree on every key they share.
        stats = collect_stats(DISTRICT)
        shared = [k for k in KPIS if k in stats]
        assert len(shared) > 80
        assert [k for k in shared if not _same(stats[k], everything[k])] == []

        # Rollups: refreshed values equal the live values for every node and stored period.
        result = rollup.refresh(trigger="test")
        assert result["rows"] == KpiRollup.objects.count() > 0
        assert RollupRun.objects.filter(trigger="test").exists()
        from wushe.regions.models import Region

        nodes = list(Region.objects.filter(level__in=["district", "street"])
                     .values_list("path", flat=True))[:6] + [COMMUNITY]
        for path in nodes:
            for period in (Period.all(), Period.year(this), Period.year(this - 1)):
                live = kpis.compute(path, period)
                stored = rollup.read(path, period)
                bad = [k for k in KPIS if not _same(live[k], stored[k])]
                assert bad == [], (path, period.key, [(k, live[k], stored[k]) for k in bad])
        monthly = [k for k, v in KPIS.items() if v.monthly]
        months = rollup.read_months(DISTRICT, this, monthly)
        for m in range(1, 13):
            live = kpis.compute(DISTRICT, Period.month(this, m), monthly)
            assert all(_same(live[k], months[k][m - 1]) for k in monthly), m
