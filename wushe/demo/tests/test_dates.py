"""The demo's activity runs up to the build day (issue #19): wushe/demo/dates.py."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from wushe.demo.dates import CURRENT_YEAR_SHARE, recent_day


def _draws(today: dt.date, n: int = 4000, **kw: int) -> list[dt.date]:
    rng = random.Random("dates")
    return [recent_day(rng, today, **kw) for _ in range(n)]


@pytest.mark.parametrize("today", [dt.date(2026, 1, 5), dt.date(2026, 6, 30),
                                   dt.date(2026, 12, 6), dt.date(2028, 3, 1)])
def test_days_fall_in_the_window_and_never_after_the_build_day(today: dt.date) -> None:
    days = _draws(today, back=365, nearest=2)
    assert max(days) <= today - dt.timedelta(days=2)
    assert min(days) >= today - dt.timedelta(days=365)


def test_late_in_the_year_most_days_fall_in_it_uniformly() -> None:
    today = dt.date(2026, 12, 6)
    days = _draws(today, back=365, nearest=1)
    share = sum(d.year == 2026 for d in days) / len(days)
    assert 0.88 < share < 0.98  # about 339 of 365 days


def test_early_in_january_a_share_still_falls_in_the_new_year() -> None:
    today = dt.date(2027, 1, 5)  # 4 days of 2027 before it: about 1 % of a uniform window
    days = _draws(today, back=365, nearest=1)
    share = sum(d.year == 2027 for d in days) / len(days)
    assert CURRENT_YEAR_SHARE * 0.8 < share < CURRENT_YEAR_SHARE * 1.3
    assert all(d < today for d in days)


def test_the_draws_do_not_depend_on_the_day() -> None:
    """Two build days use the same random stream: a build differs only in its dates."""
    a, b = random.Random(7), random.Random(7)
    recent_day(a, dt.date(2027, 1, 3))
    recent_day(b, dt.date(2026, 8, 1))
    assert a.random() == b.random()
