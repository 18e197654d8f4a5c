"""One reading of a day for forms and spreadsheet cells (core/dates.read_day)."""

from __future__ import annotations

import datetime as dt

import pytest

from wushe.core.dates import read_day

DAY = dt.date(2024, 5, 1)


@pytest.mark.parametrize("raw", [
    DAY, dt.datetime(2024, 5, 1, 0, 0), "2024-05-01", "2024-5-1", "2024/5/1", "2024.5.1",
    "2024年5月1日", "20240501", "２０２４－０５－０１", " 2024/05/01 ",
])
def test_the_ways_people_write_a_day(raw: object) -> None:
    assert read_day(raw) == DAY


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_empty_is_none(raw: object) -> None:
    assert read_day(raw) is None


@pytest.mark.parametrize("raw", ["2024-13-01", "2024-05", "五月一日", "٢٠٢٤-٠٥-٠١", "2024-05-01x"])
def test_anything_else_is_refused(raw: object) -> None:
    with pytest.raises(ValueError):
        read_day(raw)
