"""The 自治金 work item: an idea with enough residents' support (online and on paper, the local
rule's threshold) waits for the decision of the community staff of its community only."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from wushe.accounts.models import User
from wushe.needs import services
from wushe.needs.services import budget as b
from wushe.needs.work_ideas import ideas_to_decide
from wushe.regions.models import Region, RegionRule

pytestmark = pytest.mark.django_db


def test_supported_ideas_reach_the_community_staff_in_scope(
        root: User, district: Region, community_a: Region, community_b: Region,
        make_user: Callable[..., User]) -> None:
    staff_a = make_user("community_staff", community_a, "staff_a")
    staff_b = make_user("community_staff", community_b, "staff_b")
    admin = make_user("district_admin", district, "admin")
    idea_a = services.idea_submit(actor=admin, region=community_a, title="楼道加装扶手",
                                  body="老人上下楼不便,建议加装扶手")
    quiet = services.idea_submit(actor=admin, region=community_a, title="增设快递柜",
                                 body="建议在小区门口增设快递柜")
    b.idea_paper_support_record(actor=admin, idea=idea_a, count=29)
    b.idea_paper_support_record(actor=admin, idea=quiet, count=5)
    assert list(ideas_to_decide(staff_a)) == []  # 29 of the 30 the rule asks for
    b.idea_paper_support_record(actor=admin, idea=idea_a, count=1)
    assert list(ideas_to_decide(staff_a)) == [idea_a]
    assert list(ideas_to_decide(staff_b)) == []  # another community's staff
    # The rule is local: a street that lowers it lowers it for its communities only.
    idea_b = services.idea_submit(actor=admin, region=community_b, title="小区增设路灯",
                                  body="夜间照明不足")
    b.idea_paper_support_record(actor=admin, idea=idea_b, count=5)
    RegionRule.objects.create(key="needs.idea_support_threshold", region=community_a,
                              region_path=community_a.path, value=5)
    assert set(ideas_to_decide(staff_a)) == {idea_a, quiet}
    assert list(ideas_to_decide(staff_b)) == []  # still 30 in community_b
    services.idea_decide(actor=staff_a, idea=idea_a, adopt=True, reason="居民支持")
    assert list(ideas_to_decide(staff_a)) == [quiet]
