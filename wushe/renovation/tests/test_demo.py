"""The demo step holds the seed text's figures at the seed profile: 20 centres renovated and
accepted, 2300余万元 spent, spread over the streets."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wushe.demo.profiles import get_profile
from wushe.demo.steps import DemoContext
from wushe.regions.models import Region, Site
from wushe.renovation import selectors
from wushe.renovation.demo import build_renovation
from wushe.renovation.models import Renovation

pytestmark = pytest.mark.django_db


def test_seed_profile_renovates_20_centres_for_2300_odd_ten_thousand_yuan(
        district: Region, street: Region, street_b: Region, community_a: Region, root):
    from wushe.regions.services import region_create

    community_c = region_create(actor=root, code="500107002001", name="黄桷坪社区",
                                kind="community", parent=street_b)
    Site.objects.bulk_create([
        Site(kind="party_centre", name=f"党群服务中心{i}", region=c, region_path=c.path)
        for i in range(14) for c in (community_a, community_c)])
    ctx = DemoContext(profile=get_profile("seed"), seed=2026,
                      regions={r.code: r for r in (district, street, street_b, community_a,
                                                   community_c)}, say=lambda _m: None)
    counts = build_renovation(ctx)
    assert counts["centres"] == 20
    assert selectors.renovated_sites(None, district, None) == 20
    spent = selectors.invested_yuan(None, district, None)
    assert Decimal("23000000") <= spent < Decimal("24000000")
    streets = {r.region_path[:9] for r in Renovation.objects.unscoped()}
    assert streets == {street.path, street_b.path}
    budget = sum(r.budget for r in Renovation.objects.unscoped())
    assert budget <= Renovation.objects.unscoped().first().programme.total_budget
    assert all(r.acceptance_document_id and r.accepted_on for r in Renovation.objects.unscoped())
