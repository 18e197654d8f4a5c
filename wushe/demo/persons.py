"""Synthetic residents: plaintext rows, generated in batches from a seed.

Pure: the same (spec, profile, seed) yields the same rows in the same order. Persons are spread
over communities in proportion to population and interleaved, as registrations arrive in real
life (ids are not grouped by community). Every ID number is valid under GB 11643 and unique.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate

from wushe.core.ids import id_check_digit
from wushe.demo.names import (
    GIVEN_FEMALE,
    GIVEN_MALE,
    GIVEN_NEUTRAL,
    MOBILE_PREFIXES,
    OTHER_ID_PREFIXES,
    SURNAMES,
)
from wushe.demo.profiles import Profile
from wushe.demo.spec import DISTRICT_CODE, DistrictSpec, RegionSpec, apportion
from wushe.regions.models import RegionKind, RegionLevel

# Ages are counted at this date, not today, so a build does not change with the calendar.
REFERENCE_DATE = dt.date(2026, 1, 1)
LOCAL_ID_SHARE = 0.85  # residents whose ID number was issued in Jiulongpo
GRID_SHARE = 0.92  # of residents of a gridded community, those registered to a grid
BATCH = 5_000


def _age_weights() -> list[float]:
    """A plausible urban Chongqing pyramid: ~15% minors, a broad working-age middle, a long
    old-age tail (the district is ageing: ~25% are 60 or over)."""
    weights = []
    for age in range(96):
        if age < 18:
            w = 15.0 / 18
        elif age < 60:
            w = 60.0 / 42
        elif age < 80:
            w = 20.0 / 20
        else:
            w = 5.0 / 16 * (1.6 - (age - 80) / 16)
        weights.append(w)
    return weights


AGE_CUM = list(accumulate(_age_weights()))
SURNAME_LIST = [s for s, _ in SURNAMES]
SURNAME_CUM = list(accumulate(w for _, w in SURNAMES))


@dataclass(frozen=True)
class PersonRow:
    name: str
    gender: str
    birth_date: dt.date
    id_number: str
    phone: str
    address: str
    region_code: str


@dataclass(frozen=True)
class _Place:
    code: str
    grids: tuple[str, ...]
    grid_cum: tuple[float, ...]
    address_head: str
    village: bool


def _places(spec: DistrictSpec) -> list[_Place]:
    by_code = spec.by_code()
    grids: dict[str, list[RegionSpec]] = {}
    for g in spec.at_level(RegionLevel.GRID):
        grids.setdefault(g.parent_code or "", []).append(g)
    places = []
    for c in spec.at_level(RegionLevel.COMMUNITY):
        street = by_code[c.parent_code or ""]
        gs = grids.get(c.code, [])
        places.append(_Place(
            c.code, tuple(g.code for g in gs),
            tuple(accumulate(max(1, g.population) for g in gs)),
            f"{by_code[DISTRICT_CODE].name}{street.name}{c.name}",
            c.kind == RegionKind.VILLAGE,
        ))
    return places


def person_batches(spec: DistrictSpec, profile: Profile, seed: int,
                   batch: int = BATCH) -> Iterator[list[PersonRow]]:
    rng = random.Random(f"{seed}:persons")
    communities = spec.at_level(RegionLevel.COMMUNITY)
    places = _places(spec)
    counts = apportion(profile.persons, [float(c.population) for c in communities])
    order = [i for i, n in enumerate(counts) for _ in range(n)]
    rng.shuffle(order)

    ref = REFERENCE_DATE.toordinal()
    birth_cache: dict[int, tuple[dt.date, str]] = {}
    used: set[str] = set()
    local = DISTRICT_CODE[:6]
    rand, randrange, choice, choices = rng.random, rng.randrange, rng.choice, rng.choices
    male_first = GIVEN_NEUTRAL + GIVEN_MALE
    female_first = GIVEN_NEUTRAL + GIVEN_FEMALE

    for start in range(0, len(order), batch):
        chunk = order[start:start + batch]
        n = len(chunk)
        surnames = choices(SURNAME_LIST, cum_weights=SURNAME_CUM, k=n)
        ages = choices(range(96), cum_weights=AGE_CUM, k=n)
        rows: list[PersonRow] = []
        for ci, surname, age in zip(chunk, surnames, ages, strict=True):
            place = places[ci]
            born_ord = ref - 1 - int(age * 365.2425) - randrange(365)
            cached = birth_cache.get(born_ord)
            if cached is None:
                d = dt.date.fromordinal(born_ord)
                cached = birth_cache[born_ord] = (d, f"{d.year:04d}{d.month:02d}{d.day:02d}")
            birth, birth_text = cached
            prefix = local if rand() < LOCAL_ID_SHARE else choice(OTHER_ID_PREFIXES)
            while True:
                first17 = f"{prefix}{birth_text}{randrange(1000):03d}"
                if first17 not in used:
                    used.add(first17)
                    break
            male = int(first17[16]) % 2 == 1
            given = choice(GIVEN_MALE if male else GIVEN_FEMALE)
            if rand() < 0.75:
                given = choice(male_first if male else female_first) + given
            if place.village:
                address = f"{place.address_head}{randrange(1, 16)}组{randrange(1, 120)}号"
            else:
                address = (f"{place.address_head}{randrange(1, 41)}栋{randrange(1, 7)}单元"
                           f"{randrange(1, 34)}{randrange(1, 9):02d}号")
            region = place.code
            if place.grids and rand() < GRID_SHARE:
                region = choices(place.grids, cum_weights=place.grid_cum)[0]
            rows.append(PersonRow(
                surname + given, "M" if male else "F", birth, first17 + id_check_digit(first17),
                f"{choice(MOBILE_PREFIXES)}{randrange(100_000_000):08d}", address, region,
            ))
        yield rows
