"""The demo district as plain data: regions, sites and accounts, from a seed and a profile.

Pure functions of (profile, seed): no database, no clock. The builder writes what these return,
so two builds with the same seed are the same district, and tests can compare specs directly.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from dataclasses import dataclass

from wushe.accounts.roles import Role
from wushe.demo.names import PLACE_FIRST, PLACE_SECOND, chinese_ordinal
from wushe.demo.profiles import Profile
from wushe.regions.models import RegionKind, RegionLevel, SiteKind, path_for

DISTRICT_CODE = "500107000000"
DISTRICT_NAME = "九龙坡区"
DISTRICT_POPULATION = 1_527_000
CITY_NAME = "重庆市"
PERSONS_PER_HOUSEHOLD = 2.6

# (code digits 7-9, name, kind, rough permanent population, communities, villages).
# Populations are of the order of the 2020 census; they are scaled to DISTRICT_POPULATION.
STREETS: tuple[tuple[str, str, str, int, int, int], ...] = (
    ("001", "杨家坪街道", RegionKind.STREET, 142_000, 14, 0),
    ("002", "黄桷坪街道", RegionKind.STREET, 78_000, 10, 0),
    ("003", "谢家湾街道", RegionKind.STREET, 128_000, 12, 0),
    ("004", "石坪桥街道", RegionKind.STREET, 98_000, 11, 0),
    ("005", "石桥铺街道", RegionKind.STREET, 196_000, 17, 0),
    ("006", "中梁山街道", RegionKind.STREET, 96_000, 12, 0),
    ("007", "渝州路街道", RegionKind.STREET, 118_000, 13, 0),
    ("008", "二郎街道", RegionKind.STREET, 88_000, 9, 0),
    ("009", "九龙街道", RegionKind.STREET, 82_000, 10, 0),
    ("100", "华岩镇", RegionKind.TOWN, 150_000, 13, 6),
    ("101", "含谷镇", RegionKind.TOWN, 50_000, 3, 9),
    ("102", "金凤镇", RegionKind.TOWN, 48_000, 3, 10),
    ("103", "白市驿镇", RegionKind.TOWN, 62_000, 4, 12),
    ("104", "走马镇", RegionKind.TOWN, 22_000, 2, 8),
    ("105", "石板镇", RegionKind.TOWN, 26_000, 2, 9),
    ("106", "巴福镇", RegionKind.TOWN, 16_000, 1, 7),
    ("107", "陶家镇", RegionKind.TOWN, 40_000, 4, 9),
    ("108", "西彭镇", RegionKind.TOWN, 80_000, 6, 11),
    ("109", "铜罐驿镇", RegionKind.TOWN, 30_000, 3, 8),
)
# A village holds roughly this share of a community's population.
VILLAGE_WEIGHT = 0.4
# Streets with a social-organisation incubation base of their own (besides the district's).
INCUBATOR_STREETS = ("渝州路街道", "九龙街道", "石坪桥街道")
ACCOUNT_STREET = "杨家坪街道"
# Community complexes (社区综合体) per profile: the seed text names three brands and "a batch"
# (一批). The complexes step builds them; the charity step counts their operators among the
# enterprise donors.
COMPLEXES = {"small": 3, "seed": 10, "city": 100}


@dataclass(frozen=True)
class RegionSpec:
    code: str
    name: str
    level: str
    kind: str
    parent_code: str | None
    population: int
    households: int

    @property
    def path(self) -> str:
        return path_for(self.code, self.level)


@dataclass(frozen=True)
class SiteSpec:
    kind: str
    name: str
    region_code: str
    address: str
    opened_on: dt.date
    area_m2: int


@dataclass(frozen=True)
class AccountSpec:
    role: str  # a Role value, or "superuser"
    username: str
    password: str
    region_code: str
    name: str

    def as_dict(self) -> dict[str, str]:
        return {"role": self.role, "username": self.username, "password": self.password,
                "region_code": self.region_code, "name": self.name}


@dataclass(frozen=True)
class DistrictSpec:
    regions: tuple[RegionSpec, ...]
    sites: tuple[SiteSpec, ...]
    accounts: tuple[AccountSpec, ...]

    def at_level(self, level: str) -> list[RegionSpec]:
        return [r for r in self.regions if r.level == level]

    def by_code(self) -> dict[str, RegionSpec]:
        return {r.code: r for r in self.regions}


def apportion(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to ``weights`` that sum exactly to ``total`` (largest remainder)."""
    whole = sum(weights)
    exact = [total * w / whole for w in weights]
    out = [int(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (out[i] - exact[i], i))
    for i in by_remainder[: total - sum(out)]:
        out[i] += 1
    return out


def _households(population: int, rng: random.Random) -> int:
    return round(population / (PERSONS_PER_HOUSEHOLD * rng.uniform(0.93, 1.07)))


def _place_names(rng: random.Random, count: int, suffix: str, taken: set[str],
                 lead: str) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        # About a third of the names echo their street (杨家坪 → 杨X社区), as real ones often do.
        first = lead if rng.random() < 0.3 else rng.choice(PLACE_FIRST)
        second = rng.choice(PLACE_SECOND)
        name = first + second + suffix
        if first != second and name not in taken:
            taken.add(name)
            names.append(name)
    return names


def _regions(profile: Profile, seed: int) -> list[RegionSpec]:
    rng = random.Random(f"{seed}:regions")
    street_pops = apportion(DISTRICT_POPULATION, [float(s[3]) for s in STREETS])
    district = RegionSpec(DISTRICT_CODE, DISTRICT_NAME, RegionLevel.DISTRICT, RegionKind.DISTRICT,
                          None, DISTRICT_POPULATION, 0)
    streets: list[RegionSpec] = []
    communities: list[RegionSpec] = []
    taken: set[str] = set()
    for (digits, name, kind, _pop, n_comm, n_vill), street_pop in zip(STREETS, street_pops,
                                                                      strict=True):
        street_code = DISTRICT_CODE[:6] + digits + "000"
        weights = [rng.uniform(0.7, 1.3) for _ in range(n_comm)]
        weights += [VILLAGE_WEIGHT * rng.uniform(0.7, 1.3) for _ in range(n_vill)]
        pops = apportion(street_pop, weights)
        names = _place_names(rng, n_comm, "社区", taken, name[0])
        names += _place_names(rng, n_vill, "村", taken, name[0])
        for i, (cname, pop) in enumerate(zip(names, pops, strict=True)):
            village = i >= n_comm
            number = 200 + i - n_comm + 1 if village else i + 1
            communities.append(RegionSpec(
                street_code[:9] + f"{number:03d}", cname, RegionLevel.COMMUNITY,
                RegionKind.VILLAGE if village else RegionKind.COMMUNITY, street_code, pop,
                _households(pop, rng)))
        streets.append(RegionSpec(street_code, name, RegionLevel.STREET, kind, DISTRICT_CODE,
                                  street_pop, 0))
    grids = _grids(profile, communities, rng)
    # Households of the upper levels are sums, like their populations.
    by_street: dict[str, int] = {}
    for c in communities:
        by_street[c.parent_code or ""] = by_street.get(c.parent_code or "", 0) + c.households
    streets = [_with_households(s, by_street[s.code]) for s in streets]
    district = _with_households(district, sum(by_street.values()))
    return [district, *streets, *communities, *grids]


def _with_households(region: RegionSpec, households: int) -> RegionSpec:
    return RegionSpec(region.code, region.name, region.level, region.kind, region.parent_code,
                      region.population, households)


def _grids(profile: Profile, communities: list[RegionSpec], rng: random.Random) -> list[RegionSpec]:
    gridded = communities if profile.gridded_communities is None \
        else communities[: profile.gridded_communities]
    lo, hi = profile.grids_per_community
    grids: list[RegionSpec] = []
    for c in gridded:
        n = rng.randint(lo, hi)
        pops = apportion(c.population, [rng.uniform(0.7, 1.3) for _ in range(n)])
        for i, pop in enumerate(pops, start=1):
            grids.append(RegionSpec(
                c.code + f"{i:03d}", f"{c.name}第{chinese_ordinal(i)}网格", RegionLevel.GRID,
                RegionKind.GRID, c.code, pop, _households(pop, rng)))
    return grids


def _site(rng: random.Random, kind: str, name: str, region: RegionSpec, address_of: str,
          area: tuple[int, int]) -> SiteSpec:
    opened = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
    number = rng.randint(1, 288)
    return SiteSpec(kind, name, region.code, f"{CITY_NAME}{address_of}{number}号", opened,
                    rng.randint(*area) // 10 * 10)


def _sites(regions: list[RegionSpec], seed: int) -> list[SiteSpec]:
    rng = random.Random(f"{seed}:sites")
    by_code = {r.code: r for r in regions}
    district = regions[0]
    streets = [r for r in regions if r.level == RegionLevel.STREET]
    communities = [r for r in regions if r.level == RegionLevel.COMMUNITY]
    sites = [
        _site(rng, SiteKind.SW_CENTRE, f"{DISTRICT_NAME}社会工作服务中心", district,
              f"{DISTRICT_NAME}杨家坪正街", (900, 1500)),
        _site(rng, SiteKind.INCUBATOR, f"{DISTRICT_NAME}社会组织综合服务中心", district,
              f"{DISTRICT_NAME}谢家湾正街", (1500, 3000)),
    ]
    # One town is left without its station, so the coverage page has something to show.
    no_station = rng.choice([s for s in streets if s.kind == RegionKind.TOWN]).code
    for s in streets:
        where = f"{DISTRICT_NAME}{s.name}"
        if s.code != no_station:
            sites.append(_site(rng, SiteKind.SW_STATION, f"{s.name}社会工作服务站", s, where,
                               (200, 600)))
        sites.append(_site(rng, SiteKind.CHARITY_CENTRE, f"{s.name}慈善公益服务中心", s, where,
                           (80, 300)))
        if s.name in INCUBATOR_STREETS:
            sites.append(_site(rng, SiteKind.INCUBATOR, f"{s.name}社会组织孵化基地", s, where,
                               (300, 1200)))
    for c in communities:
        street = by_code[c.parent_code or ""]
        where = f"{DISTRICT_NAME}{street.name}{c.name}"
        if rng.random() < 0.95:
            sites.append(_site(rng, SiteKind.SW_ROOM, f"{c.name}社会工作室", c, where, (30, 150)))
        if rng.random() < 0.90:
            sites.append(_site(rng, SiteKind.PARTY_CENTRE, f"{c.name}党群服务中心", c, where,
                               (200, 1500)))
        urban = c.kind == RegionKind.COMMUNITY
        if urban and rng.random() < 0.06:
            sites.append(_site(rng, SiteKind.COMPLEX, f"{c.name}综合体", c, where, (1000, 5000)))
        if rng.random() < (0.15 if urban else 0.05):
            sites.append(_site(rng, SiteKind.ELDERLY_STATION, f"{c.name}养老服务站", c, where,
                               (150, 800)))
    return sites


def demo_password(username: str) -> str:
    """The same every build (the accounts file is the demo's login sheet); meets the policy."""
    digest = hashlib.sha256(f"wushe-demo:{username}".encode()).hexdigest()
    return f"Wushe-2026-{digest[:6]}"


def _accounts(regions: list[RegionSpec]) -> list[AccountSpec]:
    district = regions[0]
    street = next(r for r in regions if r.name == ACCOUNT_STREET)
    comm_a, comm_b = [r for r in regions
                      if r.level == RegionLevel.COMMUNITY and r.parent_code == street.code][:2]
    rows = [
        # 三员分立: three administrators instead of a superuser (which installation alone uses).
        (Role.SYSTEM_ADMIN, "sysadmin", district, "区民政局信息科·系统管理员·吴涛"),
        (Role.SECURITY_ADMIN, "secadmin", district, "区民政局信息科·安全管理员·郑敏"),
        (Role.AUDIT_ADMIN, "auditadmin", district, "区民政局办公室·审计管理员·冯雪"),
        (Role.DISTRICT_ADMIN, "district_admin", district, "区民政局·陈静"),
        (Role.DISTRICT_ADMIN, "district_admin_b", district, "区民政局统计科·孙悦"),
        (Role.AUDITOR, "auditor", district, "区纪委监委·罗建国"),
        (Role.EVALUATOR, "evaluator", district, "第三方评估·周思远"),
        (Role.FUND_MANAGER, "fund_manager", district, "区慈善会·何丽"),
        (Role.STREET_STAFF, "street_staff", street, f"{street.name}社工站·杨勇"),
        (Role.COMMUNITY_STAFF, "community_staff_a", comm_a, f"{comm_a.name}·李秀英"),
        (Role.COMMUNITY_STAFF, "community_staff_b", comm_b, f"{comm_b.name}·张伟"),
        (Role.SOCIAL_WORKER, "social_worker", comm_a, f"{comm_a.name}社工室·刘婷"),
        (Role.ORG_STAFF, "org_staff", street, "社会组织·谭晓梅"),
        (Role.TEAM_LEADER, "team_leader", comm_a, f"{comm_a.name}志愿服务队·王磊"),
        (Role.VOLUNTEER, "volunteer", comm_b, "志愿者·黄欣怡"),
    ]
    return [AccountSpec(str(role), username, demo_password(username), region.code, name)
            for role, username, region, name in rows]


def district_spec(*, profile: Profile, seed: int) -> DistrictSpec:
    regions = _regions(profile, seed)
    return DistrictSpec(tuple(regions), tuple(_sites(regions, seed)), tuple(_accounts(regions)))
