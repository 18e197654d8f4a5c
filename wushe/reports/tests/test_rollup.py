"""The rollup job: registered for ``wushe tick``, idempotent, records when it ran; a node or
period with no rows reads as the KPI defaults (0, None for rates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from wushe.core.jobs import JOBS
from wushe.reports import rollup
from wushe.reports.kpis import Period
from wushe.reports.models import KpiRollup, RollupRun

pytestmark = pytest.mark.django_db


def test_job_refreshes_at_most_every_interval(world: dict[str, Any],
                                              settings: Any) -> None:
    settings.WUSHE_REPORTS_ROLLUP_MINUTES = 10
    skipped = JOBS["reports.rollup"]()  # the world fixture refreshed a moment ago
    assert skipped["skipped"] is True
    settings.WUSHE_REPORTS_ROLLUP_MINUTES = 0
    done = JOBS["reports.rollup"]()
    run = rollup.last_run()
    assert run is not None and run.trigger == "job:recent" and run.years == done["years"]
    assert 0 < done["rows"] <= KpiRollup.objects.count()


def test_refresh_is_idempotent(world: dict[str, Any]) -> None:
    rows = set(KpiRollup.objects.values_list("region_path", "period", "key", "value"))
    again = rollup.refresh(trigger="test")
    assert again["rows"] == len(rows) > 0
    assert set(KpiRollup.objects.values_list("region_path", "period", "key", "value")) == rows
    assert RollupRun.objects.count() >= 2
    # The two communities' population is stored at every level above them.
    assert rollup.read("500107001", Period.all(), ["regions.population"]) == {
        "regions.population": 14_000}
    children = rollup.read_children(["500107001001", "500107001002"], Period.all(),
                                    ["regions.population", "community_workers.required"])
    assert children["500107001001"] == {"regions.population": 8000,
                                        "community_workers.required": 15}


def test_missing_rows_read_as_defaults(world: dict[str, Any]) -> None:
    values = rollup.read("500107002", Period.year(2024), ["needs.total", "needs.linkage_rate",
                                                          "charity.raised_yuan"])
    assert values == {"needs.total": 0, "needs.linkage_rate": None, "charity.raised_yuan": 0}
    months = rollup.read_months("500107", 2024, ["needs.total"])
    assert months == {"needs.total": [0] * 12}


def test_the_job_refreshes_recent_periods_and_everything_once_a_day(
        world: dict[str, Any], settings: Any) -> None:
    from django.utils import timezone

    settings.WUSHE_REPORTS_ROLLUP_MINUTES = 0
    settings.WUSHE_REPORTS_FULL_ROLLUP_HOURS = 24
    this = timezone.localdate().year
    full_rows = set(KpiRollup.objects.values_list("region_path", "period", "key", "value"))
    # A figure of a past year (untouched by a recent refresh) and a wrong one of this year.
    KpiRollup.objects.create(region_path="500107", period=str(this - 1), key="needs.total",
                             value=7)
    KpiRollup.objects.create(region_path="500107", period=str(this), key="needs.total",
                             value=99)
    KpiRollup.objects.create(region_path="500107", period=f"{this}-03", key="needs.total",
                             value=99)
    recent = JOBS["reports.rollup"]()  # the world fixture's refresh was a full one
    assert recent["full"] is False and recent["recomputed"] == [this]
    assert rollup.last_run().trigger == "job:recent"  # type: ignore[union-attr]
    after = set(KpiRollup.objects.values_list("region_path", "period", "key", "value"))
    assert after == full_rows | {("500107", str(this - 1), "needs.total", 7.0)}
    # Once the last full refresh is a day old, the job recomputes every kept year.
    RollupRun.objects.update(finished_at=timezone.now() - dt.timedelta(hours=25))
    full = JOBS["reports.rollup"]()
    assert full["full"] is True and rollup.last_full_run().trigger == "job"  # type: ignore[union-attr]
    assert set(KpiRollup.objects.values_list("region_path", "period", "key", "value")) == \
        full_rows
