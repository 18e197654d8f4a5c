"""Object grants: an organisation, team or fund bound to a role grant."""

from __future__ import annotations

import pytest

from wushe.accounts import scope
from wushe.accounts.services import grant_add
from wushe.core.errors import ValidationFailed
from wushe.orgs.models import SocialOrganization
from wushe.volunteers.models import Team


def test_object_grant_gives_object_permissions(root, make_user, community_a, community_b):
    org = SocialOrganization.objects.create(name="九龙社工中心", region=community_a,
                                            region_path=community_a.path)
    user = make_user("social_worker", community_a)
    with pytest.raises(ValidationFailed):  # a social worker is not bound to organisations
        grant_add(actor=root, user=user, role="social_worker", region=community_a, org=org)
    staff = make_user("org_staff", community_a)
    grant_add(actor=root, user=staff, role="org_staff", region=community_a, org=org)
    assert scope.object_ids(staff, "org", "orgs.edit") == [org.pk]
    assert scope.object_ids(staff, "team", "volunteers.view") == []
    assert scope.has_perm(staff, "orgs.edit")
    assert "org_staff" in scope.roles(staff)


def test_object_must_lie_inside_the_granted_region(root, make_user, community_a, community_b):
    team = Team.objects.create(name="生命花", level="corps", path="0001", region=community_b,
                               region_path=community_b.path)
    leader = make_user("team_leader", community_a)
    with pytest.raises(ValidationFailed):
        grant_add(actor=root, user=leader, role="team_leader", region=community_a, team=team)
    grant_add(actor=root, user=leader, role="team_leader", region=community_b, team=team)
    assert scope.object_ids(leader, "team", "volunteers.confirm") == [team.pk]
