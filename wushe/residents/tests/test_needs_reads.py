"""The needs app reads care profiles only through ``wushe/needs/hooks.py`` (it imports no
residents module): the residents app's registration is what lets intake link a profile, and
its scope still decides who may."""

from __future__ import annotations

from typing import Any

import pytest

from wushe.core.errors import NotFound
from wushe.needs import hooks
from wushe.needs import services as needs_services
from wushe.residents import services


def test_intake_links_a_care_profile_the_actor_may_see(staff_a: Any, community_a: Any,
                                                       elder: Any) -> None:
    profile = services.profile_create(actor=staff_a, person=elder, target_group="elderly")
    assert hooks.care_profiles_of(actor=staff_a, person_id=elder.pk) == [profile]
    need = needs_services.need_intake(
        actor=staff_a, channel="window", region=community_a, category="elderly_care",
        description="独居老人需要上门助餐", requester=elder, care_profile=profile)
    assert need.care_profile_id == profile.pk


def test_a_care_profile_out_of_scope_is_not_found_at_intake(
        staff_a: Any, staff_b: Any, community_a: Any, other: Any) -> None:
    theirs = services.profile_create(actor=staff_b, person=other, target_group="elderly")
    assert hooks.care_profiles_of(actor=staff_a, person_id=other.pk) == []
    with pytest.raises(NotFound):
        needs_services.need_intake(
            actor=staff_a, channel="window", region=community_a, category="elderly_care",
            description="需要上门助餐", contact_phone="13800138001", care_profile=theirs)
