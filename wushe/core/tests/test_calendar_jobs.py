import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from wushe.core import jobs
from wushe.core.calendar import add_workdays, is_known, is_workday, workdays_between


def test_national_day_and_make_up_workday_2026():
    # 2026: 10-01..10-07 off; Sunday 09-20 and Saturday 10-10 are 调休 working days.
    assert not is_workday(dt.date(2026, 10, 1))
    assert is_workday(dt.date(2026, 10, 10))  # a Saturday that is a working day
    assert add_workdays(dt.date(2026, 9, 30), 1) == dt.date(2026, 10, 8)
    assert add_workdays(dt.date(2026, 10, 3), 0) == dt.date(2026, 10, 8)
    assert add_workdays(dt.date(2026, 10, 9), 1) == dt.date(2026, 10, 10)
    assert workdays_between(dt.date(2026, 9, 30), dt.date(2026, 10, 10)) == 3


def test_unknown_year_falls_back_to_weekdays():
    day = dt.date(2099, 3, 2)  # a Monday
    assert not is_known(day) and is_workday(day)
    assert add_workdays(dt.date(2099, 3, 6), 1) == dt.date(2099, 3, 9)


def test_tick_runs_each_job_and_reports_failures(capsys, db):
    calls = []
    jobs.JOBS["test.ok"] = lambda: calls.append(1) or {"done": 1}
    jobs.JOBS["test.bad"] = lambda: 1 / 0
    try:
        with pytest.raises(CommandError):
            call_command("tick")
        out = capsys.readouterr().out
        assert '"test.ok": {"done": 1' in out and "ZeroDivisionError" in out
        call_command("tick", "--only", "test.ok")
        assert calls == [1]  # not due again so soon (its lease recorded the run)
        call_command("tick", "--only", "test.ok", "--all")
        assert calls == [1, 1]
        with pytest.raises(CommandError):
            call_command("tick", "--only", "nope")
    finally:
        jobs.JOBS.pop("test.ok")
        jobs.JOBS.pop("test.bad")
