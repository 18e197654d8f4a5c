"""The local rules page: read by anyone with regions.view, written by district admins."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from wushe.regions import rules
from wushe.regions.rules import Rule

rules.define(Rule("test.page_ratio", Decimal("18"), "decimal", "测试配比", "Test ratio", "测试文件",
                  minimum=Decimal("0"), maximum=Decimal("100")))


def client_for(user) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def test_admin_sets_and_clears_a_rule(make_user, district, street, community_a):
    admin = make_user("district_admin", district)
    c = client_for(admin)
    page = c.get("/regions/rules/").content.decode()
    assert "测试配比" in page and "测试文件" in page
    response = c.post("/regions/rules/", {"key": "test.page_ratio", "region": street.code,
                                          "value": "20"})
    assert response.status_code == 302
    assert rules.value("test.page_ratio", community_a) == Decimal("20")
    bad = c.post("/regions/rules/", {"key": "test.page_ratio", "region": street.code,
                                     "value": "500"})
    assert bad.status_code == 400 and "超出允许范围" in bad.content.decode()
    assert rules.value("test.page_ratio", community_a) == Decimal("20")
    c.post(f"/regions/rules/{street.code}/test.page_ratio/clear")
    assert rules.value("test.page_ratio", community_a) == Decimal("18")


def test_community_staff_reads_but_cannot_write(staff_a, community_a):
    c = client_for(staff_a)
    page = c.get("/regions/rules/")
    assert page.status_code == 200 and "<form method=\"post\" novalidate>" not in page.content.decode()
    response = c.post("/regions/rules/", {"key": "test.page_ratio", "region": community_a.code,
                                          "value": "3"})
    assert response.status_code == 404
    assert rules.value("test.page_ratio", community_a) == Decimal("18")
