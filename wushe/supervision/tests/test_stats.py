"""The stats block against the same counts in raw SQL, for a subtree and the whole district."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from wushe.core.figures import STATS
from wushe.supervision.services import session_record
from wushe.supervision.tests.conftest import visit

TODAY = dt.date.today()


def _sql(path: str) -> dict[str, int]:
    like = path + "%"
    with connection.cursor() as cur:
        cur.execute(
            "SELECT"
            " SUM(CASE WHEN status = 'done' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN status = 'done' AND kind = 'centralised' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN status = 'done' AND kind = 'consultation' THEN 1 ELSE 0 END),"
            " SUM(CASE WHEN status = 'planned' AND scheduled_on < %s THEN 1 ELSE 0 END)"
            " FROM supervision_supervision WHERE region_path LIKE %s", [TODAY, like])
        row = cur.fetchone()
    return dict(zip(("supervision.total", "supervision.centralised",
                     "supervision.consultations", "supervision.overdue"),
                    (int(v or 0) for v in row), strict=True))


def test_stats_keys_match_raw_sql(sw):
    a, c = sw.projects["a"], sw.projects["c"]
    past, future = TODAY - dt.timedelta(days=9), TODAY + dt.timedelta(days=9)
    visit(a, past, status="done")
    visit(a, past, kind="quarterly_inspection", status="done")
    visit(a, past - dt.timedelta(days=1))  # overdue
    visit(a, past - dt.timedelta(days=2), status="missed")
    visit(a, future)
    visit(c, past)  # overdue, in the other street
    visit(c, past - dt.timedelta(days=3), status="done")
    admin = sw.users["admin"]
    session_record(actor=admin, kind="centralised", held_on=past, topic="集中督导",
                   participants=40, region=sw.district)
    session_record(actor=admin, kind="consultation", held_on=past, topic="咨询", participants=2,
                   project=a)
    session_record(actor=admin, kind="consultation", held_on=past, topic="咨询", participants=1,
                   region=sw.street_b)
    figures = STATS["supervision"]
    district = figures(sw.district.path)
    assert district == _sql(sw.district.path)
    assert district == {"supervision.total": 6, "supervision.centralised": 1,
                        "supervision.consultations": 2, "supervision.overdue": 2}
    assert figures(sw.street.path) == _sql(sw.street.path) == {
        "supervision.total": 3, "supervision.centralised": 0, "supervision.consultations": 1,
        "supervision.overdue": 1}
    assert figures(sw.community_b.path) == dict.fromkeys(district, 0)
