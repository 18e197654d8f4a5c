"""GET /api/v1/renovation/programmes: programmes in scope with their centres; a street sees
the programme through its own centre only; out of scope is 404."""

from __future__ import annotations

from decimal import Decimal

from wushe.renovation.tests.conftest import RenovationWorld


def test_programmes_api_is_scoped(rw: RenovationWorld) -> None:
    admin = rw.client("admin").get("/api/v1/renovation/programmes").json()
    assert admin["count"] == 1 and admin["items"][0]["name"] == "强基赋能三年行动"
    pid = rw.programme.pk
    full = rw.client("admin").get(f"/api/v1/renovation/programmes/{pid}").json()
    assert full["sites"] == 2 and Decimal(full["budget"]) == Decimal("1700000")
    street = rw.client("street").get(f"/api/v1/renovation/programmes/{pid}").json()
    assert [r["site_name"] for r in street["renovations"]] == ["杨坪社区党群服务中心"]
    volunteer = rw.client("volunteer")
    assert volunteer.get("/api/v1/renovation/programmes").json()["items"] == []
    refused = volunteer.get(f"/api/v1/renovation/programmes/{pid}")
    assert refused.status_code == 404
    assert refused.json() == volunteer.get("/api/v1/renovation/programmes/999999").json()
