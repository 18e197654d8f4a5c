"""Creating and editing practice sites and pairings on pages: scoped (a site or pairing of
another street is 404), every write audited, a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from wushe.audit.models import AuditEvent
from wushe.civilisation import services
from wushe.civilisation.models import Pairing, PracticeSite
from wushe.civilisation.tests.test_civilisation import _tree
from wushe.regions.services import site_create as region_site_create
from wushe.volunteers.tests.factories import VWorld, build_vworld


@pytest.fixture
def vw(db: Any) -> VWorld:
    return build_vworld()


def test_street_creates_a_station_under_its_institute(vw: VWorld) -> None:
    centre = services.site_create(actor=vw.root, level="centre", name="区文明实践中心",
                                  region=vw.district, leader_name="张伟")
    inst = services.site_create(actor=vw.root, level="institute", name="杨家坪街道文明实践所",
                                region=vw.street, parent=centre, leader_name="李强")
    street = vw.client("street")
    form = {"level": "station", "region": vw.community_a.code, "name": "杨坪社区新时代文明实践站",
            "leader_name": "王芳", "leader_post": "社区党委书记"}
    outside = street.post("/civilisation/sites/new", {**form, "region": vw.community_c.code})
    assert outside.status_code == 400  # another street's community is not on offer
    wrong = street.post("/civilisation/sites/new", {**form, "level": "institute"})
    assert wrong.status_code == 400 and "wrong_region" not in wrong.content.decode()
    assert not PracticeSite.objects.unscoped().filter(region=vw.community_a).exists()
    made = street.post("/civilisation/sites/new", form)
    assert made.status_code == 302
    station = PracticeSite.objects.unscoped().get(region=vw.community_a)
    assert (station.level, station.parent_id) == ("station", inst.pk)
    assert made["Location"].endswith(f"/civilisation/sites/{station.pk}/")
    assert AuditEvent.objects.unscoped().filter(action="civilisation.site.created",
                                                target_id=str(station.pk)).exists()
    assert vw.client("vol_user").get("/civilisation/sites/new").status_code == 403


def test_edit_a_site_names_and_leader_in_scope_only(vw: VWorld) -> None:
    _c, _i, station = _tree(vw)
    party = region_site_create(actor=vw.root, region=vw.community_a, kind="party_centre",
                               name="杨坪社区党群服务中心")
    url = f"/civilisation/sites/{station.pk}/edit"
    assert vw.client("staff_c").get(url).status_code == 404
    assert vw.client("staff_c").post(url, {"name": "x", "leader_name": "y"}).status_code == 404
    staff = vw.client("staff_a")
    assert staff.post(url, {"name": "", "leader_name": "赵敏"}).status_code == 400
    r = staff.post(url, {"name": "杨坪社区新时代文明实践站", "leader_name": "赵敏",
                         "leader_post": "社区党委书记", "others": [str(party.pk)]})
    assert r.status_code == 302
    station.refresh_from_db()
    assert station.leader_name == "赵敏"
    assert list(station.other_names.unscoped().values_list("pk", flat=True)) == [party.pk]  # type: ignore[attr-defined]
    event = AuditEvent.objects.unscoped().get(action="civilisation.site.updated")
    assert event.data["leader_changed"] == {"old": False, "new": True}
    assert "赵敏" not in str(event.data) and "王芳" not in str(event.data)
    html = staff.get(f"/civilisation/sites/{station.pk}/").content.decode()
    assert f"/civilisation/sites/{station.pk}/edit" in html


def test_pairings_created_and_ended_in_scope(vw: VWorld) -> None:
    street = vw.client("street")
    form = {"community": vw.community_a.code, "partner_kind": "enterprise",
            "partner_name": "某电力公司", "starts_on": "2025-01-01", "ends_on": ""}
    assert street.post("/civilisation/pairings/new", {
        **form, "community": vw.community_c.code}).status_code == 400
    assert street.post("/civilisation/pairings/new", {
        **form, "ends_on": "2024-01-01"}).status_code == 400
    assert not Pairing.objects.unscoped().exists()
    assert street.post("/civilisation/pairings/new", form).status_code == 302
    pairing = Pairing.objects.unscoped().get()
    url = f"/civilisation/pairings/{pairing.pk}/edit"
    assert vw.client("staff_c").post(url, {"partner_name": "x"}).status_code == 404
    assert street.post(url, {"partner_name": "某电力公司", "ends_on": "2024-12-31"}
                       ).status_code == 400
    assert street.post(url, {"partner_name": "国网某供电公司", "ends_on": "2026-12-31"}
                       ).status_code == 302
    pairing.refresh_from_db()
    assert (pairing.partner_name, pairing.ends_on) == ("国网某供电公司", dt.date(2026, 12, 31))
    assert AuditEvent.objects.unscoped().filter(action="civilisation.pairing.updated").count() == 1
