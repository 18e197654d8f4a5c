"""Generated people of the charity demo: donors, committee members, persons helped."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.conf import settings

from wushe.charity import demo_data
from wushe.charity.models import CommitteeMember, Donor, Fund
from wushe.core.crypto import blind_index
from wushe.core.ids import uscc_check_char
from wushe.demo.names import (
    GIVEN_FEMALE,
    GIVEN_MALE,
    GIVEN_NEUTRAL,
    MOBILE_PREFIXES,
    SURNAMES,
)
from wushe.people.models import Person
from wushe.regions.models import Region

_USCC_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def person_name(rng: random.Random) -> str:
    surname = rng.choices([s for s, _ in SURNAMES], weights=[w for _, w in SURNAMES])[0]
    pool = GIVEN_NEUTRAL + (GIVEN_MALE if rng.random() < 0.5 else GIVEN_FEMALE)
    return surname + "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2))))


def credit_code(rng: random.Random) -> str:
    body = "91500107" + "".join(rng.choice(_USCC_BODY) for _ in range(9))
    return body + uscc_check_char(body)


def donor_rows(rng: random.Random, district: Region, communities: list[Region],
               enterprises: int, individuals: int) -> list[Donor]:
    rows: list[Donor] = []
    names: set[str] = set()
    codes: set[str] = set()
    while len(names) < enterprises:
        name = (rng.choice(demo_data.ENTERPRISE_HEADS) + rng.choice(demo_data.ENTERPRISE_WORDS)
                + rng.choice(demo_data.ENTERPRISE_TAILS))
        code = credit_code(rng)
        if name in names or code in codes:
            continue
        names.add(name)
        codes.add(code)
        rows.append(Donor(kind="enterprise", name=name, credit_code=code, region=district,
                          region_path=district.path, contact_name=person_name(rng),
                          anonymous=rng.random() < 0.03))
    for _ in range(individuals):
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        place = rng.choice(communities)
        rows.append(Donor(kind="person", name=person_name(rng), phone=phone,
                          phone_bidx=blind_index(phone), region=place, region_path=place.path,
                          anonymous=rng.random() < 0.1))
    return rows


def committee_rows(funds: list[Fund], rng: random.Random) -> list[CommitteeMember]:
    """Five or seven seats: a chair, one or two supervisors, members (the local rules)."""
    rows = []
    for fund in funds:
        n = rng.choice((5, 5, 7))
        roles = ["chair", "supervisor"] + ["supervisor" if n == 7 and rng.random() < 0.5
                                           else "member"] + ["member"] * (n - 3)
        joined = fund.established_on or demo_data.START_COMMUNITY
        for role in roles:
            rows.append(CommitteeMember(fund=fund, name=person_name(rng), role=role,
                                        affiliation=rng.choice(demo_data.COMMITTEE_AFFILIATIONS),
                                        joined_on=joined, region_path=fund.region_path))
    return rows


def beneficiaries(rng: random.Random, want: int, *, minors: bool) -> list[tuple[int, int]]:
    """(person id, community id) of persons to help: a random sample, minors if asked."""
    qs = Person.objects.unscoped(reason="demo: builds the whole district")
    top = qs.order_by("-id").values_list("id", flat=True).first() or 0
    if not top or not want:
        return []
    sample = rng.sample(range(1, top + 1), min(top, want * (12 if minors else 3)))
    rows = qs.filter(pk__in=sample).values_list("id", "region_id", "region__level",
                                                "region__parent_id", "birth_date")
    today = dt.date.today()
    adult = settings.WUSHE_MINOR_AGE
    out: list[tuple[int, int]] = []
    for pk, region_id, level, parent_id, born in rows:
        is_minor = born is not None and (today - born).days < adult * 365
        if minors != is_minor:
            continue
        out.append((pk, parent_id if level == "grid" else region_id))
    rng.shuffle(out)
    return out[:want]


def any_of(rng: random.Random, pool: list[Any]) -> Any:
    return rng.choice(pool) if pool else None
