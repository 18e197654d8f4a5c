"""Volunteer teams offered to a need (wushe.needs.linkage): nearest first, led by their leaders."""

from __future__ import annotations

from types import SimpleNamespace

from wushe.needs.linkage import PROVIDERS, Society
from wushe.volunteers.tests.factories import VWorld


def test_teams_of_the_community_come_first_and_leaders_act_for_their_subtree(vw: VWorld) -> None:
    provider = PROVIDERS[Society.VOLUNTEER_TEAM]
    need = SimpleNamespace(region_path="500107001001", category="elderly_care")
    found = provider.suggest(need, limit=10)
    assert [c.object_id for c in found][:2] == [str(vw.squad_a.pk), str(vw.det_a.pk)]
    assert str(vw.squad_b.pk) not in {c.object_id for c in found}
    assert all(p.zh and p.en for c in found for p in c.parts)
    assignment = SimpleNamespace(object_id=str(vw.squad_a.pk))
    assert provider.may_act(vw.users["leader_a"], assignment)
    assert provider.may_act(vw.users["leader_det_a"], assignment)
    assert not provider.may_act(vw.users["leader_b"], assignment)
    assert provider.acting_for(vw.users["leader_det_a"]) == sorted(
        [str(vw.det_a.pk), str(vw.squad_a.pk), str(vw.squad_a2.pk)], key=int)
