"""Demo profiles: how big a district to generate.

small — the test suite's district: the whole region tree, a couple of gridded communities and
        2,000 persons, built in a second or two.
seed  — the scale of the seed text (Jiulongpo, 2024): every community gridded, 300,000 persons.
city  — ten times the persons of seed, to see what a large city district does to the queries.
"""

from __future__ import annotations

from dataclasses import dataclass

DEFAULT_SEED = 2026


@dataclass(frozen=True)
class Profile:
    name: str
    persons: int
    # Communities that get grids: None means every one, otherwise this many (the first ones).
    gridded_communities: int | None
    grids_per_community: tuple[int, int]  # inclusive range


PROFILES: dict[str, Profile] = {
    "small": Profile("small", persons=2_000, gridded_communities=2, grids_per_community=(2, 2)),
    "seed": Profile("seed", persons=300_000, gridded_communities=None,
                    grids_per_community=(3, 6)),
    "city": Profile("city", persons=3_000_000, gridded_communities=None,
                    grids_per_community=(3, 6)),
}


def get_profile(name: str) -> Profile:
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown demo profile {name!r}; choose one of {', '.join(PROFILES)}") \
            from None
