"""The public purchase list (published only, no personal data) and the figures of
``wushe stats`` checked against raw SQL."""

from __future__ import annotations

import re
from decimal import Decimal

from django.db import connection
from django.test import Client

from wushe.core.figures import collect_stats
from wushe.projects import services
from wushe.projects.models import Domain, Status


def _published(pw):
    project = pw.design(summary="服务对象:王秀兰(身份证 500107198001011234,电话 13800138000)")
    pw.walk(project, Status.LISTED)
    draft = pw.plist(2027)
    services.project_list_add(actor=pw.admin, project=pw.design(year=2027, name="草稿项目"),
                              plist=draft)
    services.purchase_list_publish(actor=pw.admin, plist=pw.plist(2026))
    return project, draft


def test_public_page_shows_published_lists_without_personal_data(pw):
    project, draft = _published(pw)
    anon = Client()
    index = anon.get("/projects/public/purchase-lists/")
    assert index.status_code == 200
    html = index.content.decode()
    assert "第一批" in html and f"/projects/public/purchase-lists/{draft.pk}/" not in html
    page = anon.get(f"/projects/public/purchase-lists/{pw.plist(2026).pk}/").content.decode()
    assert project.name in page and project.code in page
    for secret in ("王秀兰", "500107198001011234", "13800138000", "district_admin",
                   "street_staff"):
        assert secret not in page
    assert anon.get(f"/projects/public/purchase-lists/{draft.pk}/").status_code == 404
    assert anon.get("/projects/public/purchase-lists/999999/").status_code == 404


def test_public_api_shows_published_lists_without_personal_data(pw):
    project, draft = _published(pw)
    anon = Client()
    lists = anon.get("/api/v1/public/purchase-lists").json()
    assert [pl["id"] for pl in lists] == [pw.plist(2026).pk]
    rows = anon.get(f"/api/v1/public/purchase-lists/{pw.plist(2026).pk}").json()
    assert rows[0]["code"] == project.code and rows[0]["target_groups"] == ["老年人"]
    assert set(rows[0]) == {"code", "name", "domain", "region", "year", "target_groups",
                            "budget", "status", "provider"}
    text = str(rows)
    assert "王秀兰" not in text and "13800138000" not in text
    assert anon.get(f"/api/v1/public/purchase-lists/{draft.pk}").status_code == 404
    # Staff endpoints need an account.
    assert anon.get("/api/v1/projects/").status_code in (401, 403)


def _sql(query, params):
    with connection.cursor() as cur:
        cur.execute(query, params)
        return cur.fetchone()[0]


def test_stats_keys_match_raw_sql(pw):
    a = pw.walk(pw.design(budget="100000", leveraged="5000"), Status.CLOSED, amount="90000")
    pw.walk(pw.design(pw.community_a, budget="80000", leveraged="2000.50",
                      domain="minor_protection"), Status.IN_SERVICE, amount="80000")
    pw.walk(pw.design(budget="50000", leveraged="700", domain="family"), Status.PROCURED)
    pw.design(pw.street_b, budget="30000", domain="family")
    assert a.status == Status.CLOSED
    figures = collect_stats(pw.district.path)
    like = pw.district.path + "%"
    purchased = ("contracted", "in_service", "midterm_evaluated", "final_evaluated", "closed")
    assert figures["projects.total"] == _sql(
        "SELECT COUNT(*) FROM projects_serviceproject WHERE region_path LIKE %s", [like]) == 4
    assert figures["projects.purchased"] == _sql(
        "SELECT COUNT(*) FROM projects_serviceproject WHERE region_path LIKE %s "
        "AND status IN (%s,%s,%s,%s,%s)", [like, *purchased]) == 2
    invested = _sql(
        "SELECT SUM(c.amount) FROM projects_contract c JOIN projects_serviceproject p "
        "ON p.id = c.project_id WHERE p.region_path LIKE %s "
        "AND p.status IN (%s,%s,%s,%s,%s)", [like, *purchased])
    assert Decimal(str(figures["projects.budget_yuan"])) == Decimal(str(invested)) \
        == Decimal("170000")
    leveraged = _sql(
        "SELECT SUM(leveraged) FROM projects_serviceproject WHERE region_path LIKE %s "
        "AND status IN (%s,%s,%s,%s,%s)", [like, *purchased])
    assert Decimal(str(figures["projects.leveraged_yuan"])) == \
        Decimal(str(leveraged)).quantize(Decimal("0.01")) == Decimal("7000.50")
    for d in Domain.values:
        assert figures[f"projects.by_domain.{d}"] == _sql(
            "SELECT COUNT(*) FROM projects_serviceproject WHERE region_path LIKE %s "
            "AND domain = %s", [like, d])
    assert figures["projects.by_domain.family"] == 2
    street_b = collect_stats(pw.street_b.path)
    assert street_b["projects.total"] == 1 and street_b["projects.purchased"] == 0
    assert all(re.fullmatch(r"projects\.[a-z_.]+", k) for k in figures if k.startswith("proj"))
