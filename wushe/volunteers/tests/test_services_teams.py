"""The team tree: levels exactly one apart, paths, regions inside the parent's, leaders."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from wushe.accounts import scope
from wushe.audit.models import AuditEvent
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.volunteers import services
from wushe.volunteers.models import Team
from wushe.volunteers.tests.factories import VWorld


def test_paths_encode_the_tree(vw: VWorld) -> None:
    assert vw.corps.path == "0001"
    assert (vw.det_a.path, vw.det_b.path) == ("00010001", "00010002")
    assert vw.squad_b.path == "000100020001"
    assert vw.squad_a.parent_id == vw.det_a.pk


@pytest.mark.parametrize(("level", "parent_key"), [
    ("squad", "corps"), ("corps", "det_a"), ("detachment", "det_a"), ("detachment", None),
    ("squad", None)])
def test_a_child_sits_exactly_one_level_below_its_parent(vw: VWorld, level: str,
                                                         parent_key: str | None) -> None:
    parent = getattr(vw, parent_key) if parent_key else None
    with pytest.raises(ValidationFailed):
        services.team_create(actor=vw.root, name="错层队伍", level=level,
                             region=vw.community_a, parent=parent)
    assert not Team.objects.unscoped().filter(name="错层队伍").exists()


def test_database_refuses_a_level_that_is_not_the_depth(vw: VWorld) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        Team.objects.create(name="坏队伍", level="squad", parent=vw.det_a, path="00019",
                            region=vw.community_a, region_path=vw.community_a.path)


def test_region_must_lie_inside_the_parents(vw: VWorld) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.team_create(actor=vw.root, name="越界小队", level="squad",
                             region=vw.community_c, parent=vw.det_a)
    assert exc.value.code == "region_outside_parent"


def test_sibling_names_are_unique_and_audited(vw: VWorld) -> None:
    with pytest.raises(Conflict):
        services.team_create(actor=vw.root, name="杨坪社区生命花小队", level="squad",
                             region=vw.community_a, parent=vw.det_a)
    assert AuditEvent.objects.unscoped().filter(action="volunteers.team.created").count() == 6


def test_leader_creates_squads_only_below_its_own_team(vw: VWorld) -> None:
    leader = vw.users["leader_det_a"]
    squad = services.team_create(actor=leader, name="杨坪社区新小队", level="squad",
                                 region=vw.community_a, parent=vw.det_a)
    assert squad.path == "000100010003"
    with pytest.raises(NotFound):
        services.team_create(actor=leader, name="别队小队", level="squad",
                             region=vw.community_c, parent=vw.det_b)
    with pytest.raises(NotFound):  # a corps needs a region grant
        services.team_create(actor=leader, name="新总队", level="corps", region=vw.street)


def test_community_staff_cannot_create_a_corps_elsewhere(vw: VWorld) -> None:
    with pytest.raises(NotFound):
        services.team_create(actor=vw.users["staff_a"], name="外区总队", level="corps",
                             region=vw.community_c)


def test_team_update_records_the_diff(vw: VWorld) -> None:
    services.team_update(actor=vw.users["leader_a"], team=vw.squad_a, brand="生命之花")
    ev = AuditEvent.objects.unscoped().filter(action="volunteers.team.updated").get()
    assert ev.data == {"brand": {"old": "生命花", "new": "生命之花"}}
    with pytest.raises(NotFound):
        services.team_update(actor=vw.users["leader_b"], team=vw.squad_a, name="抢名")


def test_appointing_a_leader_binds_a_team_grant(vw: VWorld, make_user) -> None:
    user = make_user("team_leader", vw.community_b, "new_leader")
    services.team_leader_appoint(actor=vw.users["admin"], team=vw.squad_a2, user=user)
    assert scope.object_ids(user, "team", "volunteers.confirm") == [vw.squad_a2.pk]
    # Appointing needs accounts.manage: street staff manage volunteers but not accounts.
    other = make_user("team_leader", vw.community_b, "other_leader")
    with pytest.raises(PermissionDenied):  # it sees the region, so "not allowed", not "missing"
        services.team_leader_appoint(actor=vw.users["street"], team=vw.squad_a2, user=other)
