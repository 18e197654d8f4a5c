"""GET /api/v1/civilisation/sites and pairings: scoped and paginated, the leader masked; a
site outside is 404 like a missing one."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from wushe.civilisation import services
from wushe.civilisation.tests.test_civilisation import _tree
from wushe.volunteers.tests.factories import VWorld, build_vworld


@pytest.fixture
def vw(db: Any) -> VWorld:
    return build_vworld()


def test_sites_and_pairings_api_is_scoped(vw: VWorld) -> None:
    centre, inst, station = _tree(vw)
    services.pairing_create(actor=vw.root, community=vw.community_c, partner_kind="department",
                            partner_name="区教委", starts_on=timezone.localdate())
    admin = vw.client("admin").get("/api/v1/civilisation/sites").json()
    assert admin["count"] == 3
    names = {s["name"]: s for s in admin["items"]}
    assert names["杨坪社区新时代文明实践站"]["leader"] != "王芳"  # masked
    assert names["杨坪社区新时代文明实践站"]["parent_id"] == inst.pk
    staff_c = vw.client("staff_c")
    assert station.pk not in [s["id"] for s in staff_c.get(
        "/api/v1/civilisation/sites").json()["items"]]
    refused = staff_c.get(f"/api/v1/civilisation/sites/{station.pk}")
    assert refused.status_code == 404
    assert refused.json() == staff_c.get("/api/v1/civilisation/sites/999999").json()
    assert vw.client("staff_a").get(f"/api/v1/civilisation/sites/{station.pk}").json()[
        "level"] == "station"
    assert [p["partner_name"] for p in staff_c.get(
        "/api/v1/civilisation/pairings").json()["items"]] == ["区教委"]
    assert vw.client("staff_a").get("/api/v1/civilisation/pairings").json()["items"] == []
    assert centre.pk
