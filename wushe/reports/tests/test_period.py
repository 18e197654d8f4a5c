"""Periods: parsing, keys, bounds; a bad period is a clear bilingual refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from wushe.core.errors import ValidationFailed
from wushe.reports.kpis import Period


def test_period_keys_round_trip() -> None:
    assert Period.parse("").key == "all"
    assert Period.parse("2025") == Period.year(2025)
    assert Period.parse("2025-02").end == dt.date(2025, 2, 28)
    assert Period.parse("2025-02").key == "2025-02"
    assert Period.parse("2025-01-01..2025-06-30").key == "2025-01-01..2025-06-30"
    assert Period.parse("2024-01-01..2024-12-31") == Period.year(2024)


def test_datetime_bounds_are_local_midnights() -> None:
    lo, hi = Period.year(2025).bounds(is_datetime=True)
    assert (lo.year, lo.hour, hi.year, hi.month, hi.day) == (2025, 0, 2026, 1, 1)
    assert str(lo.tzinfo) == "Asia/Shanghai"


@pytest.mark.parametrize("raw", ["20x5", "2025-13", "2025-06-30..2025-01-01", "1800",
                                 "2000-01-01..2020-01-01"])
def test_bad_period_is_refused(raw: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        Period.parse(raw)
    assert exc.value.zh and exc.value.en
