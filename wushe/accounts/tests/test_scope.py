"""accounts.scope: region-path prefixes, OR across grants, deny by default, explicit superuser."""

from __future__ import annotations

import pytest

from wushe.accounts import scope
from wushe.core.errors import NotFound, PermissionDenied
from wushe.core.scoping import ScopeError, scopes_disabled
from wushe.people.models import Person
from wushe.people.services import person_create
from wushe.regions.models import Region


def test_next_prefix_and_subtree():
    assert scope.next_prefix("500107001") == "500107002"
    assert scope.next_prefix("500107009") == "500107010"
    assert scope.next_prefix("500107") == "500108"


def test_unscoped_query_fails_loudly(community_a):
    with pytest.raises(ScopeError):
        list(Region.objects.all())
    with pytest.raises(ScopeError):
        Region.objects.filter(code="500107001001").exists()
    with pytest.raises(ScopeError):
        Region.objects.count()
    with scopes_disabled():
        assert Region.objects.filter(code="500107001001").exists()
    assert Region.objects.unscoped().filter(code="500107001001").exists()


def test_no_grant_sees_nothing(make_user, community_a, db):
    from wushe.accounts.services import user_create

    nobody = user_create(actor=None, username="nobody", password="x", check_password=False)
    assert not scope.visible(Region.objects, nobody, "regions.view").exists()


def test_grants_combine_with_or(make_user, staff_a, community_a, community_b, root):
    from wushe.accounts.services import grant_add

    pa = person_create(actor=root, region=community_a, name="甲")
    pb = person_create(actor=root, region=community_b, name="乙")
    visible = set(scope.visible(Person.objects, staff_a, "people.view").values_list("pk", flat=True))
    assert visible == {pa.pk}
    grant_add(actor=root, user=staff_a, role="community_staff", region=community_b)
    scope.forget(staff_a)
    visible = set(scope.visible(Person.objects, staff_a, "people.view").values_list("pk", flat=True))
    assert visible == {pa.pk, pb.pk}


def test_street_staff_sees_its_communities_not_the_neighbours(make_user, street, street_b,
                                                              community_a, root):
    from wushe.regions.services import region_create

    other = region_create(actor=root, code="500107002001", name="黄桷社区", kind="community",
                          parent=street_b)
    person_create(actor=root, region=community_a, name="甲")
    outsider = person_create(actor=root, region=other, name="丙")
    s = make_user("street_staff", street)
    codes = set(scope.visible(Region.objects, s, "regions.view").values_list("code", flat=True))
    assert codes == {street.code, community_a.code}
    assert not scope.visible(Person.objects, s, "people.view").filter(pk=outsider.pk).exists()


def test_require_distinguishes_invisible_from_forbidden(make_user, community_a, community_b,
                                                        root):
    p = person_create(actor=root, region=community_a, name="甲")
    worker = make_user("social_worker", community_a)
    staff_b = make_user("community_staff", community_b)
    with pytest.raises(PermissionDenied):
        scope.require(worker, "people.unmask", p, view_perm="people.view")
    with pytest.raises(NotFound):
        scope.require(staff_b, "people.unmask", p, view_perm="people.view")


def test_superuser_is_explicit(root, community_a):
    assert scope.visible(Region.objects, root, "regions.view").filter(pk=community_a.pk).exists()
    assert scope.filter_q(root, "regions.view", "path") is None
