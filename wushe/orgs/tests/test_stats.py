"""Every figure of the orgs stats block against an independent count of the rows."""

from __future__ import annotations

import datetime as dt

from django.db import connection

from wushe.orgs.models import OrgStatus
from wushe.orgs.services import honour_add, org_transition, rating_award
from wushe.orgs.stats import org_figures
from wushe.orgs.tests.factories import incubating, registered


def _count(sql: str, params: list[object]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return int(cursor.fetchone()[0])


def test_org_figures_match_raw_sql(ow):
    admin = ow.users["admin"]
    incubating(admin, ow.street, "孵化一")
    incubating(admin, ow.street_b, "孵化二", category="hub")
    gone = registered(admin, ow.street_b, "淘汰组织", category="hub")
    org_transition(actor=admin, org=gone, to="eliminated", reason="四方评估不合格")
    rating_award(actor=admin, org=ow.orgs["a"], score="905")
    rating_award(actor=admin, org=ow.orgs["b"], score="720",
                 awarded_on=dt.date.today() - dt.timedelta(days=40))
    honour_add(actor=admin, org=ow.orgs["a"], title="优质社会组织", year=2025)
    for path in (ow.district.path, ow.street.path, ow.street_b.path):
        figures = org_figures(path)
        like = path + "%"
        live = "region_path LIKE %s AND status <> 'eliminated'"
        assert figures["orgs.total"] == _count(
            f"SELECT COUNT(*) FROM orgs_socialorganization WHERE {live}", [like])  # noqa: S608
        for category in ("public_service", "governance", "hub", "social_work"):
            assert figures[f"orgs.by_category.{category}"] == _count(
                f"SELECT COUNT(*) FROM orgs_socialorganization WHERE {live} AND category = %s",  # noqa: S608
                [like, category]), category
        for status in OrgStatus.values:
            assert figures[f"orgs.{status}"] == _count(
                "SELECT COUNT(*) FROM orgs_socialorganization WHERE region_path LIKE %s "
                "AND status = %s", [like, status]), status
        today = dt.date.today()
        for grade in range(1, 6):
            assert figures[f"orgs.by_rating.{grade}A"] == _count(
                "SELECT COUNT(DISTINCT org_id) FROM orgs_rating WHERE region_path LIKE %s "
                "AND grade = %s AND awarded_on <= %s AND valid_until >= %s",
                [like, grade, today, today]), grade
        assert figures["orgs.excellent"] == _count(
            "SELECT COUNT(DISTINCT org_id) FROM orgs_orghonour WHERE region_path LIKE %s "
            "AND title = %s", [like, "优质社会组织"])
    district = org_figures(ow.district.path)
    assert (district["orgs.total"], district["orgs.eliminated"], district["orgs.incubating"]) == (6, 1, 2)
    assert (district["orgs.by_rating.4A"], district["orgs.by_rating.2A"]) == (1, 1)
