"""regions: the tree's invariants, sites at the right tier, and the coverage check."""

from __future__ import annotations

import pytest

from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.regions import coverage as cov
from wushe.regions.coverage import CoverageCheck, coverage
from wushe.regions.models import Region, RegionLevel
from wushe.regions.services import region_create, region_update, site_create


def test_tree_paths_follow_codes(district, street, community_a):
    assert (district.path, street.path, community_a.path) == ("500107", "500107001",
                                                               "500107001001")
    grid = region_create(actor=_root(), code="500107001001001", name="一网格",
                         kind="grid", parent=community_a)
    assert grid.path == "500107001001001" and grid.level == RegionLevel.GRID


def _root():
    from wushe.accounts.models import User

    return User.objects.get(username="root")


@pytest.mark.parametrize("code,kind,msg", [
    ("500107001", "community", "12"),          # too short
    ("500107002001", "community", "开头"),      # not under the parent
    ("50010700100A", "community", "12"),       # not digits
    ("500107001003", "street", "层级"),         # wrong level under a street
])
def test_bad_regions_refused(root, street, code, kind, msg):
    with pytest.raises(ValidationFailed) as exc:
        region_create(actor=root, code=code, name="新社区", kind=kind, parent=street)
    assert msg in exc.value.zh
    assert not Region.objects.unscoped().filter(code=code).exists()


def test_duplicate_code_conflicts(root, street, community_a):
    with pytest.raises(Conflict):
        region_create(actor=root, code=community_a.code, name="重复", kind="community",
                      parent=street)


def test_full_width_code_is_normalised(root, street):
    r = region_create(actor=root, code="５００１０７００１００９", name="全角社区", kind="community",
                      parent=street)
    assert r.code == "500107001009"


def test_absurd_population_refused(root, community_a):
    for bad in (-1, 10**9, "many"):
        with pytest.raises(ValidationFailed):
            region_update(actor=root, region=community_a, population=bad)
    community_a.refresh_from_db()
    assert community_a.population == 8000


def test_community_staff_cannot_manage_regions(staff_a, community_a, community_b):
    with pytest.raises(PermissionDenied):
        region_update(actor=staff_a, region=community_a, population=1)
    with pytest.raises(NotFound):
        region_update(actor=staff_a, region=community_b, population=1)


def test_site_tier_is_enforced(root, street, community_a):
    with pytest.raises(ValidationFailed) as exc:
        site_create(actor=root, region=community_a, kind="sw_station", name="错层")
    assert exc.value.code == "site_tier"
    site_create(actor=root, region=street, kind="sw_station", name="杨家坪街道社工站")


def test_coverage_lists_what_is_missing(root, district, street, street_b, community_a,
                                       community_b):
    site_create(actor=root, region=street, kind="sw_station", name="杨家坪街道社工站")
    site_create(actor=root, region=community_a, kind="sw_room", name="杨坪社工室")
    site_create(actor=root, region=community_a, kind="party_centre", name="杨坪党群中心")
    results = {r.check.code: r for r in coverage(actor=root, region=district)}
    assert [m.code for m in results["street_without_sw_station"].missing] == [street_b.code]
    assert [m.code for m in results["community_without_sw_room"].missing] == [community_b.code]
    assert results["community_without_sw_room"].covered == 1
    assert [m.code for m in results["community_without_party_centre"].missing] == [
        community_b.code]


def test_coverage_is_pluggable_and_scoped(root, make_user, street, community_a, community_b):
    check = CoverageCheck("community_named_xijiao", "test", RegionLevel.COMMUNITY,
                          lambda qs: qs.filter(name__contains="西郊"))
    cov.register(check)
    try:
        street_staff = make_user("street_staff", street)
        staff_a = make_user("community_staff", community_a)
        by_code = {r.check.code: r for r in coverage(actor=street_staff, region=street)}
        assert [m.code for m in by_code["community_named_xijiao"].missing] == [community_b.code]
        mine = {r.check.code: r for r in coverage(actor=staff_a, region=community_a)}
        assert mine["community_named_xijiao"].missing == []  # B is outside A's scope
        assert mine["community_without_sw_room"].total == 1
    finally:
        cov.CHECKS.pop("community_named_xijiao")


def test_site_update_audits_and_checks_scope(root, make_user, street, community_a, community_b):
    from wushe.audit.models import AuditEvent
    from wushe.regions.services import site_update

    site = site_create(actor=root, region=community_b, kind="sw_room", name="西郊社工室")
    street_staff = make_user("street_staff", street)
    site_update(actor=street_staff, site=site, active=False, address="西郊路1号")
    ev = AuditEvent.objects.unscoped().get(action="regions.site.updated")
    assert ev.data["active"] == {"old": True, "new": False}
    staff_a = make_user("community_staff", community_a)
    with pytest.raises(NotFound):
        site_update(actor=staff_a, site=site, name="改名")
    with pytest.raises(ValidationFailed):
        site_update(actor=street_staff, site=site, area_m2=-3)
