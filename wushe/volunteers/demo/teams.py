"""The demo team tree, after the seed text:

"全力构建'志愿服务总队﹣支队(分队)﹣小队'组织体系 … 成立镇(街)志愿服务分队13支,培育'生命花'
'五色义工''暖杨志愿''小二郎'等286支志愿服务小分队,组建志愿服务小队400余支".

Three levels, four kinds of team. The district's 总队 is the corps. Both the 13 street 分队 and
the 286 brand 小分队 are detachments (支队/分队 is one level; a 小分队 is a small 分队, founded in a
community around a brand); the 400+ 小队 are squads, each under its street's 分队 or, in a
street without one, under a brand 小分队 of its own community.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.utils import timezone

from wushe.regions.models import Region, RegionLevel
from wushe.volunteers.bulk import Loader, next_id
from wushe.volunteers.models import Team, TeamLevel

STREET_DETACHMENTS = 13
BRAND_DETACHMENTS = 286
SQUADS = 412
# The seed text's brands first, then more in the same spirit.
BRANDS = (
    "生命花", "五色义工", "暖杨志愿", "小二郎", "黄桷义工", "冬日针爱", "背篼医生", "七彩乡村",
    "科普大篷车", "阳光前行", "红马甲", "向日葵", "银发先锋", "邻里守望", "巾帼志愿", "青春同行",
    "书香课堂", "夕阳红", "爱心妈妈", "护苗行动", "蓝天应急", "春风送暖", "微光", "暖阳",
    "同心圆", "彩虹桥", "山城少年", "共享奶奶", "红枫叶", "萤火虫", "老兵之家", "绿色家园",
)
SQUAD_THEMES = ("助老", "护苗", "洁净家园", "文明劝导", "应急", "邻里互助", "心理疏导",
                "法律援助", "科普", "关爱帮扶", "健康生活", "文化惠民", "巡讲", "结对帮扶")


@dataclass
class DemoTeam:
    id: int
    name: str
    brand: str
    level: str
    parent: DemoTeam | None
    path: str
    region: Region

    @property
    def street_path(self) -> str:
        return self.region.path[:9]


def _streets(regions: dict[str, Region]) -> list[Region]:
    streets = [r for r in regions.values() if r.level == RegionLevel.STREET]
    # The street detachments: every 街道, then the most populous 镇 (13 in all).
    return sorted(streets, key=lambda r: (r.kind != "street", -r.population, r.code))


def build_teams(regions: dict[str, Region], rng: random.Random,
                first_communities: list[Region]) -> list[DemoTeam]:
    district = next(r for r in regions.values() if r.level == RegionLevel.DISTRICT)
    communities = sorted((r for r in regions.values() if r.level == RegionLevel.COMMUNITY),
                         key=lambda r: r.code)
    base = next_id(Team)
    teams: list[DemoTeam] = []

    def add(name: str, brand: str, level: str, parent: DemoTeam | None, region: Region,
            ordinal: int) -> DemoTeam:
        path = (parent.path if parent else "") + f"{ordinal:04d}"
        team = DemoTeam(base + len(teams), name, brand, level, parent, path, region)
        teams.append(team)
        return team

    corps = add(f"{district.name}志愿服务总队", "", TeamLevel.CORPS, None, district, 1)
    street_dets: dict[str, DemoTeam] = {}
    for i, street in enumerate(sorted(_streets(regions)[:STREET_DETACHMENTS],
                                      key=lambda r: r.code), start=1):
        street_dets[street.path] = add(f"{street.name}志愿服务分队", "", TeamLevel.DETACHMENT,
                                       corps, street, i)
    # Brand 小分队: every community gets one, the larger ones a second.
    by_size = sorted(communities, key=lambda r: -r.population)
    hosts = communities + by_size[: max(0, BRAND_DETACHMENTS - len(communities))]
    hosts = hosts[:BRAND_DETACHMENTS]
    brand_dets: dict[str, list[DemoTeam]] = {}
    for i, community in enumerate(sorted(hosts, key=lambda r: r.code), start=1):
        used = {t.brand for t in brand_dets.get(community.path, [])}
        brand = rng.choice([b for b in BRANDS if b not in used])
        team = add(f"{community.name}{brand}志愿服务小分队", brand, TeamLevel.DETACHMENT, corps,
                   community, len(street_dets) + i)
        brand_dets.setdefault(community.path, []).append(team)
    # Squads: the first communities (the demo accounts') get one each, the rest by population.
    weights = [max(1, c.population) for c in communities]
    places = first_communities + rng.choices(communities, weights=weights,
                                             k=SQUADS - len(first_communities))
    ordinals: dict[str, int] = {}
    names: set[str] = set()
    for community in places:
        parent = street_dets.get(community.path[:9]) or brand_dets[community.path][0]
        theme = rng.choice(SQUAD_THEMES)
        name = f"{community.name}{theme}小队"
        n = 2
        while name in names:
            name = f"{community.name}{theme}{n}小队"
            n += 1
        names.add(name)
        ordinals[parent.path] = ordinals.get(parent.path, 0) + 1
        add(name, "", TeamLevel.SQUAD, parent, community, ordinals[parent.path])
    return teams


def write_teams(teams: list[DemoTeam]) -> None:
    now = timezone.now()
    loader = Loader(Team)
    for t in teams:
        loader.add(id=t.id, created_at=now, updated_at=now, name=t.name, brand=t.brand,
                   level=t.level, parent_id=t.parent.id if t.parent else None, path=t.path,
                   region_id=t.region.pk, region_path=t.region.path, description="",
                   active=True)
    loader.flush()
