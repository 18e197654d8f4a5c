"""Dates of the demo's activity: it runs up to the build day, so the current calendar year
always has records in every app (the cockpit opens on it).

Draws take the same number of values from the generator whatever the build day, so a build
is deterministic by seed and day, and two days' builds differ only in their dates.
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

# Early in January the last year's window holds hardly any day of the new year: at least
# this share of the days drawn then fall between 1 January and the build day.
CURRENT_YEAR_SHARE = 0.1


def build_day() -> dt.date:
    """The build day (local): the last day the demo's activity may fall on."""
    return timezone.localdate()


def recent_day(rng: random.Random, today: dt.date, *, back: int = 365, nearest: int = 1,
               current_share: float = CURRENT_YEAR_SHARE) -> dt.date:
    """A day from ``back`` to ``nearest`` days before ``today`` (never after it), uniform
    over that window, except that when the window's own share of this calendar year is
    below ``current_share`` that share is drawn from this year's days before ``today``."""
    assert 0 <= nearest <= back
    u, v = rng.random(), rng.random()  # always two draws: the stream does not depend on the day
    jan1 = today.replace(month=1, day=1)
    elapsed = (today - jan1).days - nearest + 1  # days of this year in the window
    if 0 < elapsed < current_share * (back - nearest + 1) and u < current_share:
        return jan1 + dt.timedelta(days=int(v * elapsed))
    return today - dt.timedelta(days=nearest + int(v * (back - nearest + 1)))
