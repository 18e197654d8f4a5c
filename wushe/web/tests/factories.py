"""A small district for the page tests, built only through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.services import user_create
from wushe.core.ids import id_check_digit
from wushe.people.models import Person
from wushe.people.services import person_create
from wushe.regions.models import Region, Site
from wushe.regions.services import region_create, site_create

PASSWORD = "Test-Passw0rd!"


def id_number(birth: str = "19800101", seq: str = "123", region6: str = "500107") -> str:
    first17 = f"{region6}{birth}{seq}"
    return first17 + id_check_digit(first17)


def child_id_number(seq: str = "456") -> str:
    """Someone about eight years old today."""
    born = dt.date.today().replace(year=dt.date.today().year - 8, day=1)
    return id_number(born.strftime("%Y%m%d"), seq)


@dataclass
class World:
    root: User
    district: Region
    street: Region
    community_a: Region
    community_b: Region
    grid_a: Region
    site_a: Site
    site_b: Site
    station: Site
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def client(self, username: str) -> Client:
        c = Client()
        c.force_login(self.users[username], backend="wushe.accounts.backends.LockoutBackend")
        return c


def make_user(username: str, role: str, region: Region, display_name: str = "") -> User:
    return user_create(actor=None, username=username, password=PASSWORD,
                       display_name=display_name, grants=[(role, region)], check_password=False)


def build_world() -> World:
    root = user_create(actor=None, username="root", password=PASSWORD, is_superuser=True,
                       check_password=False)
    district = region_create(actor=root, code="500107000000", name="九龙坡区", kind="district",
                             parent=None)
    street = region_create(actor=root, code="500107001000", name="杨家坪街道", kind="street",
                           parent=district)
    community_a = region_create(actor=root, code="500107001001", name="杨坪社区",
                                kind="community", parent=street, population=8000,
                                households=3000)
    community_b = region_create(actor=root, code="500107001002", name="西郊社区",
                                kind="community", parent=street, population=6000,
                                households=2200)
    grid_a = region_create(actor=root, code="500107001001001", name="杨坪第一网格", kind="grid",
                           parent=community_a)
    world = World(
        root=root, district=district, street=street, community_a=community_a,
        community_b=community_b, grid_a=grid_a,
        site_a=site_create(actor=root, region=community_a, kind="sw_room", name="杨坪社区社工室"),
        site_b=site_create(actor=root, region=community_b, kind="sw_room", name="西郊社区社工室"),
        station=site_create(actor=root, region=street, kind="sw_station", name="杨家坪街道社工站"),
    )
    for username, role, region, name in [
        ("staff_a", "community_staff", community_a, "张晓"),
        ("staff_b", "community_staff", community_b, "李明"),
        ("street", "street_staff", street, "王芳"),
        ("admin", "district_admin", district, "赵强"),
        ("auditor", "auditor", district, "钱敏"),
        ("worker_a", "social_worker", community_a, "孙磊"),
    ]:
        world.users[username] = make_user(username, role, region, name)
    staff_a = world.users["staff_a"]
    staff_b = world.users["staff_b"]
    world.people["a1"] = person_create(actor=staff_a, region=community_a, name="陈大海",
                                       id_number=id_number(seq="123"), phone="13800138000",
                                       address="重庆市九龙坡区杨家坪正街1号")
    world.people["a_child"] = person_create(actor=staff_a, region=community_a, name="陈小雨",
                                            id_number=child_id_number())
    world.people["b1"] = person_create(actor=staff_b, region=community_b, name="刘西郊",
                                       id_number=id_number(seq="789"), phone="13900139000",
                                       address="重庆市九龙坡区西郊路8号")
    return world


def login(client: Client, username: str, password: str = PASSWORD) -> Any:
    return client.post("/login/", {"username": username, "password": password})
