"""The demo's activity runs up to the build day (issue #19): the current calendar year has data
in every app the cockpit shows, and nothing is dated after today."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from wushe.core.scoping import scopes_disabled
from wushe.demo.build import build_demo
from wushe.reports.kpis import Period, compute

# Flow figures the small demo has for the current year (once January is over: early in
# January a year holds too few days for the small demo's handful of renovations).
THIS_YEAR = (
    "volunteers.hours_confirmed", "volunteers.hours_by_team_level.squad",
    "volunteers.activities", "volunteers.care_projects", "volunteers.civilisation_activities",
    "sites.party_centre_renovated", "sites.party_centre_renovation_yuan",
    "charity.raised_yuan", "charity.disbursed_yuan", "charity.donors.enterprise",
    "charity.donors.person", "charity.beneficiaries", "needs.total", "needs.ideas",
    "needs.common_problems", "projects.total", "projects.purchased", "supervision.total",
    "evaluation.by_grade.excellent",
)


@pytest.mark.django_db
def test_the_current_year_has_data_and_nothing_is_dated_after_today(tmp_path: Path) -> None:
    build_demo(profile="small", seed=2026, out_dir=tmp_path)
    today = timezone.localdate()
    values = compute("500107", Period(dt.date(today.year, 1, 1), today), THIS_YEAR)
    if today >= dt.date(today.year, 2, 1):
        assert [k for k in THIS_YEAR if not values[k]] == []
    else:  # the volunteers' activity always has a share in the new year (demo/dates.py)
        assert values["volunteers.hours_confirmed"] > 0
    # ... and nothing runs past the build day.
    future = compute("500107", Period(today + dt.timedelta(days=1), dt.date(today.year + 5, 12, 31)),
                     ["volunteers.hours_confirmed", "volunteers.care_projects",
                      "sites.party_centre_renovated", "sites.party_centre_renovation_yuan"])
    assert not any(future.values()), future
    from wushe.renovation.models import Renovation
    from wushe.volunteers.models import ServiceRecord

    with scopes_disabled():
        assert not ServiceRecord.objects.filter(service_date__gt=today).exists()
        assert not Renovation.objects.filter(accepted_on__gt=today).exists()
