"""Demo volunteers: drawn from the demo's persons (no new Person rows), with their consent,
volunteer number and team memberships.

The seed text counts about 250,000 volunteers against the demo's 300,000 registered persons:
five in six persons aged 10 to 80 become volunteers, in every profile. Under-14s get a
guardian (an adult of their community) on their consent.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.utils import timezone

from wushe.demo.persons import REFERENCE_DATE
from wushe.people.models import Consent, ConsentPurpose, Person
from wushe.volunteers.bulk import Loader, flush_in_order, next_id
from wushe.volunteers.demo.teams import DemoTeam
from wushe.volunteers.guardians import CONSENT_SCOPE
from wushe.volunteers.models import (
    Availability,
    Membership,
    ServiceArea,
    TeamLevel,
    Volunteer,
    join_tags,
)
from wushe.volunteers.numbers import volunteer_numbers

SHARE = 5 / 6
MIN_AGE, MAX_AGE = 10, 80
GUARDIAN_AGE = 14
POOL = 300  # members kept per team for drawing activity participants
SKILLS = ("急救", "心理咨询", "摄影", "驾驶", "法律", "医护", "教育辅导", "手语", "厨艺", "理发",
          "电脑维修", "文艺表演", "书法", "外语")


@dataclass
class Pools:
    """What later generators need: members by team, and the chosen accounts' people."""

    members: dict[int, list[int]] = field(default_factory=dict)
    volunteers: int = 0
    consents: int = 0
    memberships: int = 0
    member_counts: dict[int, int] = field(default_factory=dict)
    sample_in: dict[str, int] = field(default_factory=dict)  # community path -> a volunteer id


def _age_bounds() -> tuple[dt.date, dt.date]:
    ref = REFERENCE_DATE
    return ref.replace(year=ref.year - MAX_AGE - 1), ref.replace(year=ref.year - MIN_AGE)


def _candidate_teams(teams: list[DemoTeam]) -> dict[str, list[DemoTeam]]:
    """By community path: its squads and brand detachments; by street path: its 分队."""
    out: dict[str, list[DemoTeam]] = {}
    for t in teams:
        if t.level != TeamLevel.CORPS:
            out.setdefault(t.region.path, []).append(t)
    return out


def write_volunteers(teams: list[DemoTeam], rng: random.Random) -> Pools:
    pools = Pools()
    oldest, youngest = _age_bounds()
    persons = Person.objects.unscoped(reason="demo: builds the whole district").filter(birth_date__gt=oldest, birth_date__lte=youngest)
    total = Person.objects.unscoped(reason="demo: builds the whole district").count()
    eligible = persons.count()
    share = min(1.0, total * SHARE / eligible) if eligible else 0.0
    by_place = _candidate_teams(teams)
    corps = next(t for t in teams if t.level == TeamLevel.CORPS)
    guardians = _guardians()
    now = timezone.now()
    district = corps.region.path[:6]
    # Random numbers for the whole build, made at once (the count is bounded by the eligible).
    numbers = volunteer_numbers(district, eligible)
    vid, cid, mid = next_id(Volunteer), next_id(Consent), next_id(Membership)
    # Written parents first (consent → volunteer → membership), see flush_in_order.
    consents = Loader(Consent, auto_flush=False)
    volunteers = Loader(Volunteer, auto_flush=False)
    members = Loader(Membership, auto_flush=False)
    interests = ServiceArea.values
    availability = Availability.values
    minor_born = REFERENCE_DATE.replace(year=REFERENCE_DATE.year - GUARDIAN_AGE)
    rows = persons.order_by("id").values_list("id", "region_id", "region_path", "birth_date")
    for person_id, region_id, region_path, born in rows.iterator(chunk_size=10_000):
        if rng.random() >= share:
            continue
        community = region_path[:12]
        guardian = None
        if born > minor_born:
            guardian = guardians.get(community) or guardians.get("")
        consents.add(id=cid, created_at=now, updated_at=now, person_id=person_id,
                     purpose=ConsentPurpose.VOLUNTEERING, scope=CONSENT_SCOPE, sensitive=False,
                     guardian_id=guardian, guardian_relation="父母" if guardian else "",
                     given_at=now, withdrawn_at=None, recorded_by_id=None,
                     region_path=region_path)
        joined = REFERENCE_DATE - dt.timedelta(days=rng.randint(30, 3650))
        volunteers.add(
            id=vid, created_at=now, updated_at=now, person_id=person_id,
            number=numbers.pop(), user_id=None,
            region_id=region_id, region_path=region_path,
            skills=join_tags(rng.sample(SKILLS, rng.choice((0, 1, 1, 2)))),
            interests=join_tags(rng.sample(interests, rng.choice((1, 1, 2, 3)))),
            availability=join_tags(rng.sample(availability, 1)), join_date=joined,
            status="active", consent_id=cid)
        places = by_place.get(community) or by_place.get(region_path[:9]) or [corps]
        chosen = [rng.choice(places)]
        street_teams = by_place.get(region_path[:9])
        if street_teams and rng.random() < 0.1 and street_teams[0] not in chosen:
            chosen.append(street_teams[0])  # a second team: the street's 分队
        for team in chosen:
            members.add(id=mid, created_at=now, updated_at=now, volunteer_id=vid,
                        team_id=team.id, team_path=team.path, region_path=team.region.path,
                        joined_on=joined, left_on=None)
            mid += 1
            pool = pools.members.setdefault(team.id, [])
            if len(pool) < POOL:
                pool.append(vid)
            pools.member_counts[team.id] = pools.member_counts.get(team.id, 0) + 1
        pools.sample_in.setdefault(community, vid)
        pools.volunteers += 1
        vid += 1
        cid += 1
        flush_in_order(consents, volunteers, members)
    flush_in_order(consents, volunteers, members, at=0)
    pools.consents, pools.memberships = consents.count, members.count
    return pools


def _guardians() -> dict[str, int]:
    """An adult (25-60) per community among the first persons, and one for the district."""
    ref = REFERENCE_DATE
    rows = (Person.objects.unscoped(reason="demo: builds the whole district")
            .filter(birth_date__gt=ref.replace(year=ref.year - 60),
                    birth_date__lte=ref.replace(year=ref.year - 25))
            .order_by("id").values_list("id", "region_path")[:40_000])
    out: dict[str, int] = {}
    for pid, path in rows:
        out.setdefault(path[:12], pid)
        out.setdefault("", pid)
    return out
