"""Working days in mainland China: weekends, public holidays and 调休 make-up workdays.

Backed by the maintained ``chinese-calendar`` package (State Council notices, yearly). For a
year the package does not know yet (the notice comes out each November) we fall back to
Monday–Friday and say so through ``is_known``, so SLA pages can flag it instead of guessing.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=4096)
def is_known(day: dt.date) -> bool:
    try:
        chinese_calendar.is_workday(day)
    except NotImplementedError:
        return False
    return True


@lru_cache(maxsize=4096)
def is_workday(day: dt.date) -> bool:
    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def next_workday(day: dt.date) -> dt.date:
    """The day itself if it is a working day, else the next one."""
    while not is_workday(day):
        day += dt.timedelta(days=1)
    return day


def add_workdays(start: dt.date, days: int) -> dt.date:
    """The date ``days`` working days after ``start``.

    0 means the same day (or the next working day when ``start`` is a rest day): urgent
    matters are due the day they arrive. A matter received on a rest day starts counting on
    the next working day, as offices do.
    """
    if days < 0:
        raise ValueError("days must be >= 0")
    day = next_workday(start)
    for _ in range(days):
        day = next_workday(day + dt.timedelta(days=1))
    return day


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end]: how many working days have elapsed since ``start``."""
    if end <= start:
        return 0
    n, day = 0, start
    while day < end:
        day += dt.timedelta(days=1)
        n += is_workday(day)
    return n
