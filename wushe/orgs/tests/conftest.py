from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.services import grant_add
from wushe.orgs.models import SocialOrganization
from wushe.orgs.tests.factories import filed, registered
from wushe.regions.models import Region, Site
from wushe.regions.services import site_create


@dataclass
class OrgWorld:
    root: User
    district: Region
    street: Region
    street_b: Region
    community_a: Region
    community_b: Region
    community_c: Region  # in street_b
    incubator: Site
    room_a: Site
    users: dict[str, User] = field(default_factory=dict)
    orgs: dict[str, SocialOrganization] = field(default_factory=dict)

    def client(self, username: str) -> Client:
        c = Client()
        c.force_login(self.users[username], backend="wushe.accounts.backends.LockoutBackend")
        return c


@pytest.fixture
def ow(root: User, district: Region, street: Region, street_b: Region, community_a: Region,
       community_b: Region, make_user: Callable[..., User]) -> OrgWorld:
    from wushe.regions.services import region_create

    community_c = region_create(actor=root, code="500107002001", name="黄桷坪社区",
                                kind="community", parent=street_b, population=1112)
    world = OrgWorld(
        root=root, district=district, street=street, street_b=street_b,
        community_a=community_a, community_b=community_b, community_c=community_c,
        incubator=site_create(actor=root, region=street, kind="incubator",
                              name="杨家坪街道社会组织孵化基地"),
        room_a=site_create(actor=root, region=community_a, kind="sw_room", name="杨坪社区社工室"),
    )
    for username, role, region in [
        ("admin", "district_admin", district), ("street", "street_staff", street),
        ("street_b", "street_staff", street_b), ("staff_a", "community_staff", community_a),
        ("auditor", "auditor", district), ("volunteer", "volunteer", community_a),
    ]:
        world.users[username] = make_user(role, region, username)
    admin = world.users["admin"]
    world.orgs["a"] = registered(admin, street, "九龙社会工作服务中心")
    world.orgs["b"] = registered(admin, street, "心理咨询师协会", category="public_service")
    world.orgs["c"] = filed(admin, community_c, "黄桷坪书画社")
    world.orgs["filed_a"] = filed(admin, community_a, "杨坪社区舞蹈队")
    org_staff = make_user("org_staff", street, "org_staff")
    grant_add(actor=None, user=org_staff, role="org_staff", region=street, org=world.orgs["a"])
    world.users["org_staff"] = org_staff
    return world

