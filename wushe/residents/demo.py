"""Demo residents in care (over the demo's persons) and the 25 hardship ledgers of the seed.

Called from the needs demo step (wushe/needs/demo.py) so profiles exist before the needs that
refer to them. Deterministic: randomness only from the step's generator.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min
from django.utils import timezone

from wushe.needs.demo_insert import Inserter
from wushe.people.models import Person
from wushe.regions.models import Region, RegionLevel
from wushe.residents.models import CareProfile, Ledger, LedgerEntry, TargetGroup

# Profiles per profile size; the seed's "5,000+ common problems of elderly and hardship
# groups" implies a register of that order.
PROFILES = {"small": 150, "seed": 6_000, "city": 60_000}
MAX_ROUNDS = 200  # a district short of one group stops trying instead of looping
GROUP_SHARE = {TargetGroup.ELDERLY: 0.5, TargetGroup.HARDSHIP: 0.3, TargetGroup.MINOR: 0.2}
DETAILS = {
    TargetGroup.ELDERLY: ["独居,患高血压,行动不便", "老伴去世,子女在外地务工", "患糖尿病,需定期送药上门",
                          "腿脚不便,上下楼困难", "轻度认知障碍,需要定期探访"],
    TargetGroup.MINOR: ["父母在外务工,由祖父母照看", "父亲服刑,母亲离家,由亲属照料", "患先天性心脏病,家庭负担重",
                        "学习困难,放学后无人看护", "父母离异,情绪低落"],
    TargetGroup.HARDSHIP: ["家庭主要劳动力因病失业", "重度残疾,无固定收入", "低保户,子女就学困难",
                           "大病住院,医疗费用负担重", "特困供养,独居"],
}
GUARDIANS = ["祖母代为监护", "外祖父代为监护", "姑姑代为照料", "母亲监护,长期在外务工"]


@dataclass(frozen=True)
class ProfileRow:
    id: int
    person_id: int
    region_path: str
    group: str


def _tags(group: str, age: int | None, rng: random.Random) -> list[str]:
    tags: list[str] = []
    if group == TargetGroup.ELDERLY:
        for tag, p in (("empty_nest", 0.4), ("living_alone", 0.2), ("disabled_elderly", 0.1)):
            if rng.random() < p:
                tags.append(tag)
        if age is not None and age >= 80:
            tags.append("advanced_age")
    elif group == TargetGroup.MINOR:
        tags.append(rng.choices(["left_behind", "in_distress", "unsupported"], [0.55, 0.38, 0.07])[0])
    else:
        tags.append(rng.choices(["dibao", "tekun", "low_income", "serious_illness"],
                                [0.45, 0.15, 0.25, 0.15])[0])
    if rng.random() < 0.08:
        tags.append("disability")
    return tags


def build_profiles(ctx: Any, rng: random.Random) -> list[ProfileRow]:
    wanted = PROFILES.get(ctx.profile.name, PROFILES["small"])
    persons = Person.objects.unscoped(reason="demo: builds the whole district")
    bounds = persons.aggregate(lo=Min("id"), hi=Max("id"))
    if bounds["lo"] is None:
        return []
    today = timezone.localdate()
    quota = {g: int(wanted * share) for g, share in GROUP_SHARE.items()}
    worker = _user(ctx, "social_worker")
    comm_a = _account_region(ctx, "community_staff_a")
    communities = {r.path: r.pk for r in ctx.regions.values() if r.level == RegionLevel.COMMUNITY}
    ins = Inserter(CareProfile)
    rows: list[ProfileRow] = []
    taken: set[int] = set()
    for _round in range(MAX_ROUNDS):
        if not any(quota.values()):
            break
        ids = [rng.randint(bounds["lo"], bounds["hi"]) for _ in range(4000)]
        batch = persons.filter(id__in=ids).order_by("id").values_list("id", "birth_date",
                                                                      "region_path")
        for pid, born, path in batch:
            if pid in taken:
                continue
            age = None if born is None else today.year - born.year
            group = (TargetGroup.MINOR if age is not None and age < 18 else
                     TargetGroup.ELDERLY if age is not None and age >= 60 else TargetGroup.HARDSHIP)
            if quota[group] <= 0:
                continue
            quota[group] -= 1
            taken.add(pid)
            community_path = path[:12]
            community_id = communities[community_path]
            minor = group == TargetGroup.MINOR
            pk = ins.add(
                person_id=pid, region_id=community_id, region_path=community_path,
                target_group=group, tags="|" + "|".join(_tags(group, age, rng)) + "|",
                risk_level=rng.choices(["low", "medium", "high"], [0.6, 0.3, 0.1])[0],
                status="active", is_minor=minor, details=rng.choice(DETAILS[group]),
                guardian_info=rng.choice(GUARDIANS) if minor else "",
                assigned_worker_id=worker.pk if worker and minor and comm_a
                and community_path == comm_a.path else None,
                last_visit_on=today - dt.timedelta(days=rng.randint(3, 120)))
            rows.append(ProfileRow(pk, pid, community_path, group))
    ins.close()
    return rows


def build_ledgers(ctx: Any, rng: random.Random, profiles: list[ProfileRow]) -> int:
    """25 ledgers: one per street, three district-wide by group, three for the accounts'
    street and communities (the seed's 梳理完善特殊困难群体工作台账25套)."""
    regions: dict[str, Region] = ctx.regions
    district = next(r for r in regions.values() if r.level == RegionLevel.DISTRICT)
    streets = [r for r in regions.values() if r.level == RegionLevel.STREET]
    keeper = _user(ctx, "street_staff")
    specs: list[tuple[Region, str, str]] = [
        (s, f"{s.name}特殊困难群体台账", "") for s in sorted(streets, key=lambda r: r.code)]
    specs += [(district, f"{district.name}困境儿童关爱台账", TargetGroup.MINOR),
              (district, f"{district.name}空巢独居老人台账", TargetGroup.ELDERLY),
              (district, f"{district.name}低保特困人员台账", TargetGroup.HARDSHIP)]
    for username in ("community_staff_a", "community_staff_b"):
        region = _account_region(ctx, username)
        if region is not None:
            specs.append((region, f"{region.name}一老一小一困台账", ""))
    account_street = _account_region(ctx, "street_staff")
    if account_street is not None:
        specs.append((account_street, f"{account_street.name}高风险对象重点台账", ""))
    ledgers = Inserter(Ledger)
    entries = Inserter(LedgerEntry)
    now = timezone.now()
    for region, name, group in specs[:25]:
        lid = ledgers.add(name=name, region_id=region.pk, region_path=region.path,
                          target_group=group, description="", active=True,
                          keeper_id=keeper.pk if keeper else None)
        for p in profiles:
            if p.region_path.startswith(region.path) and (not group or p.group == group):
                entries.add(ledger_id=lid, profile_id=p.id, region_path=p.region_path, note="",
                            added_at=now)
    entries.close()
    return ledgers.close()


def _user(ctx: Any, username: str) -> Any:
    from wushe.accounts.models import User

    return User.objects.filter(username=username).first()


def _account_region(ctx: Any, username: str) -> Region | None:
    from wushe.accounts.models import RoleGrant

    grant = RoleGrant.objects.unscoped(reason="demo: builds the whole district").filter(user__username=username).select_related(
        "region").first()
    return grant.region if grant else None
