"""The civilisation demo step: the tree, the mapping share, and the seed scale."""

from __future__ import annotations

from pathlib import Path

import pytest

from wushe.civilisation import selectors
from wushe.civilisation.demo import MAPPED_SHARE
from wushe.civilisation.models import ActivityDomain, PracticeLevel, PracticeSite
from wushe.core.scoping import scopes_disabled
from wushe.demo import steps
from wushe.demo.build import build_demo
from wushe.regions.models import Region, RegionLevel
from wushe.volunteers.demo.activities import ACTIVITIES
from wushe.volunteers.models import Activity, ActivityStatus


def test_seed_scale_maps_four_thousand_odd_practice_activities() -> None:
    # "结对共建文明实践活动4000余场次": the share of the seed's 4,804 finished projects.
    assert 4000 <= int(ACTIVITIES["seed"] * MAPPED_SHARE) <= 4999


@pytest.mark.django_db
def test_small_demo_holds_the_tree_pairings_and_domains(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    # The demo up to this step (the steps after it are other apps' and read nothing of ours).
    mine = steps.STEPS["civilisation"].order
    monkeypatch.setattr(steps, "STEPS", {k: v for k, v in steps.STEPS.items() if v.order <= mine})
    summary = build_demo(profile="small", seed=2026, out_dir=tmp_path)
    got = summary.steps["civilisation"]
    with scopes_disabled():
        district = Region.objects.get(level=RegionLevel.DISTRICT)
        streets = Region.objects.filter(level=RegionLevel.STREET).count()
        communities = Region.objects.filter(level=RegionLevel.COMMUNITY).count()
        assert got["sites"] == 1 + streets + communities
        assert PracticeSite.objects.filter(level=PracticeLevel.CENTRE).count() == 1
        for station in PracticeSite.objects.filter(level=PracticeLevel.STATION)[:50]:
            assert station.parent.level == PracticeLevel.INSTITUTE
            assert station.parent.region_id == station.region.parent_id
        finished = Activity.objects.filter(status=ActivityStatus.FINISHED).count()
        assert got["practice_activities"] == int(finished * MAPPED_SHARE)
        assert ActivityDomain.objects.count() == got["practice_activities"]
        assert got["team_links"] > 0 and got["other_names"] > 0
        assert communities <= got["pairings"] <= 3 * communities
    assert selectors.civilisation_activities(None, district) == got["practice_activities"]
    assert sum(n for _k, _l, n in selectors.domain_counts(actor=None, region=district)) \
        == got["practice_activities"]
    assert selectors.civilisation_pairings(None, district) == got["pairings"]
    print("civilisation step seconds:", summary.seconds.get("civilisation"), got)
