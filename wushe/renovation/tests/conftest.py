from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.test import Client

from wushe.accounts.models import User
from wushe.regions.models import Region, Site
from wushe.regions.services import region_create, site_create
from wushe.renovation.models import Programme, Renovation
from wushe.renovation.services import programme_create, renovation_add

PDF = b"%PDF-1.4\n% acceptance certificate\n"


@dataclass
class RenovationWorld:
    district: Region
    street: Region
    street_b: Region
    centre_a: Site  # in street
    centre_c: Site  # in street_b
    room_a: Site  # not a party centre
    programme: Programme
    reno_a: Renovation
    reno_c: Renovation
    users: dict[str, User] = field(default_factory=dict)

    def client(self, username: str) -> Client:
        c = Client()
        c.force_login(self.users[username], backend="wushe.accounts.backends.LockoutBackend")
        return c


@pytest.fixture
def rw(root: User, district: Region, street: Region, street_b: Region, community_a: Region,
       make_user: Callable[..., User]) -> RenovationWorld:
    community_c = region_create(actor=root, code="500107002001", name="黄桷坪社区",
                                kind="community", parent=street_b)
    users = {name: make_user(role, region, name) for name, role, region in [
        ("admin", "district_admin", district), ("street", "street_staff", street),
        ("street_b", "street_staff", street_b), ("auditor", "auditor", district),
        ("volunteer", "volunteer", community_a)]}
    centre_a = site_create(actor=root, region=community_a, kind="party_centre",
                           name="杨坪社区党群服务中心")
    centre_c = site_create(actor=root, region=community_c, kind="party_centre",
                           name="黄桷坪社区党群服务中心")
    room_a = site_create(actor=root, region=community_a, kind="sw_room", name="杨坪社区社工室")
    programme = programme_create(actor=users["admin"], region=district, name="强基赋能三年行动",
                                 department="区委组织部", start_year=2021, end_year=2023,
                                 total_budget="2000000")
    reno_a = renovation_add(actor=users["admin"], programme=programme, site=centre_a,
                            budget="1200000")
    reno_c = renovation_add(actor=users["admin"], programme=programme, site=centre_c,
                            budget="500000")
    return RenovationWorld(district=district, street=street, street_b=street_b,
                           centre_a=centre_a, centre_c=centre_c, room_a=room_a,
                           programme=programme, reno_a=reno_a, reno_c=reno_c, users=users)
