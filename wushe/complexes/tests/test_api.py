"""GET /api/v1/complexes: the complexes in scope, paginated; a complex outside is 404."""

from __future__ import annotations

from decimal import Decimal

from django.test import Client

from wushe.accounts.models import User
from wushe.complexes import services
from wushe.complexes.models import Complex


def _client(user: User) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def test_complexes_api_is_scoped(complex_a: Complex, staff_a: User, street_staff: User,
                                 other_street_staff: User) -> None:
    report = services.report_submit(actor=staff_a, complex_=complex_a, year=2024, quarter=2,
                                    revenue="1000", costs="400")
    services.report_approve(actor=street_staff, report=report)
    page = _client(staff_a).get("/api/v1/complexes").json()
    assert page["count"] == 1
    item = page["items"][0]
    assert (item["id"], item["site_name"], Decimal(item["profit"])) == (
        complex_a.pk, "杨坪社区综合体", Decimal("600"))
    detail = _client(staff_a).get(f"/api/v1/complexes/{complex_a.pk}").json()
    assert [r["quarter"] for r in detail["reports"]] == [2]
    other = _client(other_street_staff)
    assert other.get("/api/v1/complexes").json()["items"] == []
    missing = other.get(f"/api/v1/complexes/{complex_a.pk}")
    assert missing.status_code == 404 and missing.json()["code"] == "not_found"
    assert other.get("/api/v1/complexes/999999").json() == missing.json()
