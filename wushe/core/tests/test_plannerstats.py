"""Planner statistics: refreshed by the demo build, after big imports and once a day."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from wushe.core import plannerstats
from wushe.core.jobs import JOBS

pytestmark = pytest.mark.django_db


def _stat_rows(table: str) -> int:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = %s", [table])
        else:
            cursor.execute("SELECT count(*) FROM pg_stats WHERE tablename = %s", [table])
        return int(cursor.fetchone()[0])


def test_analyze_records_statistics_of_the_rows_written(district: Any, community_a: Any) -> None:
    from wushe.people.models import Person

    Person.objects.bulk_create([Person(name="张三", region=community_a,
                                       region_path=community_a.path) for _ in range(50)])
    plannerstats.analyze()
    assert _stat_rows("people_person") > 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite only")
def test_the_daily_job_runs_once_a_day_on_sqlite(settings: Any, tmp_path: Any) -> None:
    settings.DATA_DIR = tmp_path
    first = JOBS["core.planner_stats"]()
    assert "seconds" in first and (tmp_path / plannerstats.MARKER).exists()
    assert JOBS["core.planner_stats"]() == {"skipped": True}  # idempotent within the day


def test_a_small_import_does_not_analyze_a_big_one_does(monkeypatch: pytest.MonkeyPatch
                                                        ) -> None:
    calls: list[bool] = []
    monkeypatch.setattr(plannerstats, "analyze", lambda: calls.append(True))
    plannerstats.after_bulk_write(plannerstats.BULK_ROWS - 1)
    assert calls == []
    plannerstats.after_bulk_write(plannerstats.BULK_ROWS)
    assert calls == ([True] if connection.vendor == "sqlite" else [])
