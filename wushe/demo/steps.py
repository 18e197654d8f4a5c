"""Demo steps contributed by the capability apps (volunteers, orgs, charity …).

The foundation builds regions, sites, accounts and persons; then every registered step runs in
``order``, each in its own transaction, with what came before. An app registers its step from
its ``AppConfig.ready``. A step must be deterministic: draw randomness only from ``ctx.rng``.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wushe.accounts.models import User
from wushe.demo.profiles import Profile
from wushe.regions.models import Region


@dataclass
class DemoContext:
    profile: Profile
    seed: int
    regions: dict[str, Region]  # by code
    say: Callable[[str], None]
    shared: dict[str, Any] = field(default_factory=dict)  # what steps leave for later steps

    def rng(self, step: str) -> random.Random:
        """A generator of the step's own, so adding a step never changes another's data."""
        return random.Random(f"{self.seed}:{step}")

    def user(self, username: str) -> User:
        return User.objects.get(username=username)


@dataclass(frozen=True)
class DemoStep:
    name: str
    order: int
    run: Callable[[DemoContext], dict[str, int]]


STEPS: dict[str, DemoStep] = {}


def step(name: str, order: int) -> Callable[[Callable[[DemoContext], dict[str, int]]],
                                            Callable[[DemoContext], dict[str, int]]]:
    def deco(fn: Callable[[DemoContext], dict[str, int]]) -> Callable[[DemoContext], dict[str, int]]:
        STEPS[name] = DemoStep(name, order, fn)
        return fn

    return deco


def ordered() -> list[DemoStep]:
    return sorted(STEPS.values(), key=lambda s: (s.order, s.name))
