"""`wushe stats` reads the KPI module: the numbers agree with the cockpit, exports and report."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command

from wushe.core.figures import STATS
from wushe.reports.kpis import KPIS, Period, compute
from wushe.reports.stats import BLOCKS


def test_every_block_but_accounts_is_served_by_the_kpi_module() -> None:
    for name in BLOCKS:
        assert STATS[name].__qualname__.startswith("kpis["), name
    # accounts' users.* (accounts per role) are not figures of the seed text
    assert set(STATS) - set(BLOCKS) == {"users"}


@pytest.mark.django_db
def test_stats_command_prints_the_kpi_values(district, street, community_a) -> None:
    out = io.StringIO()
    call_command("stats", "--json", "--region", street.code, stdout=out)
    printed = json.loads(out.getvalue())
    kpi_keys = [k for k in printed if k in KPIS]
    assert len(kpi_keys) == len(printed) - sum(k.startswith("users.") for k in printed)
    assert {k: printed[k] for k in kpi_keys} == compute(street.path, Period.all(), kpi_keys)
    assert printed["regions.communities"] == 1
