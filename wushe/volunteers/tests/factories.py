"""A small volunteer world for the tests, built only through the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from wushe.accounts.models import User
from wushe.accounts.services import grant_add, user_create
from wushe.core.ids import id_check_digit
from wushe.regions.models import Region
from wushe.regions.services import region_create
from wushe.volunteers import services
from wushe.volunteers.models import ServiceRecord, Team, Volunteer

PASSWORD = "Test-Passw0rd!"


def idn(birth: str = "19800101", seq: str = "123", region6: str = "500107") -> str:
    first17 = f"{region6}{birth}{seq}"
    return first17 + id_check_digit(first17)


def child_idn(seq: str = "456", years: int = 10) -> str:
    today = dt.date.today()
    return idn(today.replace(year=today.year - years, day=1).strftime("%Y%m%d"), seq)


def ago(hours: float, days: int = 0) -> dt.datetime:
    """A whole-hour time in the past (records cannot be in the future)."""
    base = timezone.now().replace(minute=0, second=0, microsecond=0)
    return base - dt.timedelta(days=days, hours=hours)


@dataclass
class VWorld:
    root: User
    district: Region
    street: Region
    street_b: Region
    community_a: Region
    community_b: Region
    community_c: Region  # in street_b
    corps: Team
    det_a: Team  # 杨家坪 street detachment
    det_b: Team  # 黄桷坪 street detachment
    squad_a: Team  # community_a squad under det_a
    squad_a2: Team  # community_b squad under det_a
    squad_b: Team  # community_c squad under det_b
    users: dict[str, User] = field(default_factory=dict)
    volunteers: dict[str, Volunteer] = field(default_factory=dict)

    def client(self, username: str) -> Client:
        c = Client()
        c.force_login(self.users[username], backend="wushe.accounts.backends.LockoutBackend")
        return c

    def register(self, key: str, team: Team, *, seq: str, name: str = "志愿者",
                 birth: str = "19900101", region: Region | None = None) -> Volunteer:
        v = services.volunteer_register(
            actor=self.root, region=region or team.region, team=team,
            data=services.Registration(name=name, id_number=idn(birth, seq),
                                       phone="13800138000", skills="急救、心理咨询",
                                       interests="elderly,visits", availability="weekend"))
        self.volunteers[key] = v
        return v

    def record(self, volunteer: Volunteer, team: Team, hours: str, *, start_hours_ago: float,
               days: int = 1, actor: User | None = None) -> ServiceRecord:
        start = ago(start_hours_ago, days)
        return services.record_create(
            actor=actor or self.root, volunteer=volunteer, team=team, started_at=start,
            ended_at=start + dt.timedelta(hours=float(Decimal(hours)) + 1), hours=hours,
            content="上门慰问空巢老人")


def _user(username: str, role: str, region: Region) -> User:
    return user_create(actor=None, username=username, password=PASSWORD,
                       grants=[(role, region)], check_password=False)


def build_vworld() -> VWorld:
    root = user_create(actor=None, username="root", password=PASSWORD, is_superuser=True,
                       check_password=False)
    district = region_create(actor=root, code="500107000000", name="九龙坡区", kind="district",
                             parent=None)
    street = region_create(actor=root, code="500107001000", name="杨家坪街道", kind="street",
                           parent=district)
    street_b = region_create(actor=root, code="500107002000", name="黄桷坪街道", kind="street",
                             parent=district)
    community_a = region_create(actor=root, code="500107001001", name="杨坪社区",
                                kind="community", parent=street)
    community_b = region_create(actor=root, code="500107001002", name="西郊社区",
                                kind="community", parent=street)
    community_c = region_create(actor=root, code="500107002001", name="黄桷社区",
                                kind="community", parent=street_b)
    corps = services.team_create(actor=root, name="九龙坡区志愿服务总队", level="corps",
                                 region=district)
    det_a = services.team_create(actor=root, name="杨家坪街道志愿服务分队", level="detachment",
                                 region=street, parent=corps)
    det_b = services.team_create(actor=root, name="黄桷坪街道志愿服务分队", level="detachment",
                                 region=street_b, parent=corps)
    squad_a = services.team_create(actor=root, name="杨坪社区生命花小队", level="squad",
                                   region=community_a, parent=det_a, brand="生命花")
    squad_a2 = services.team_create(actor=root, name="西郊社区暖杨小队", level="squad",
                                    region=community_b, parent=det_a, brand="暖杨志愿")
    squad_b = services.team_create(actor=root, name="黄桷社区小二郎小队", level="squad",
                                   region=community_c, parent=det_b, brand="小二郎")
    world = VWorld(root, district, street, street_b, community_a, community_b, community_c,
                   corps, det_a, det_b, squad_a, squad_a2, squad_b)
    world.users["admin"] = _user("admin", "district_admin", district)
    world.users["street"] = _user("street", "street_staff", street)
    world.users["staff_a"] = _user("staff_a", "community_staff", community_a)
    world.users["staff_c"] = _user("staff_c", "community_staff", community_c)
    world.users["auditor"] = _user("auditor", "auditor", district)
    world.users["worker_a"] = _user("worker_a", "social_worker", community_a)
    for username, team in (("leader_a", squad_a), ("leader_det_a", det_a), ("leader_b", squad_b)):
        leader = _user(username, "team_leader", team.region)
        grant_add(actor=root, user=leader, role="team_leader", region=team.region, team=team)
        world.users[username] = leader
    world.users["vol_user"] = _user("vol_user", "volunteer", community_a)
    world.users["vol_user_b"] = _user("vol_user_b", "volunteer", community_c)
    a1 = world.register("a1", squad_a, seq="101", name="王小花")
    world.register("a2", squad_a, seq="102", name="李大志")
    world.register("a2b", squad_a2, seq="103", name="赵西郊")
    b1 = world.register("b1", squad_b, seq="201", name="黄小二")
    services.volunteer_link_user(actor=root, volunteer=a1, user=world.users["vol_user"])
    services.volunteer_link_user(actor=root, volunteer=b1, user=world.users["vol_user_b"])
    for v in world.volunteers.values():
        v.refresh_from_db()
    return world
