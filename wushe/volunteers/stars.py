"""Star levels (星级志愿者) from confirmed hours and the local thresholds rule.

Stars are never stored: a district admin may change the thresholds for any region at any time
(``volunteers.star_thresholds``), and a stored level would then be stale. A ``StarScale`` reads
the rule's overrides once (a handful of rows) and answers for any region path, in Python for a
page of volunteers or as a Q of hour ranges for counting and filtering.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from wushe.accounts.scope import subtree_q
from wushe.regions.models import RegionRule
from wushe.regions.rules import RULES
from wushe.volunteers.rules import STAR_THRESHOLDS

MAX_STARS = 5


def _clean(values: Any) -> list[Decimal]:
    return sorted(Decimal(str(v)) for v in values)[:MAX_STARS]


def _subtree(path: str) -> Q:
    return subtree_q("region_path", path) if path else Q()


def stars_for(hours: Decimal, thresholds: list[Decimal]) -> int:
    return sum(1 for t in thresholds if hours >= t)


@dataclass
class StarScale:
    default: list[Decimal]
    overrides: dict[str, list[Decimal]] = field(default_factory=dict)  # region path -> thresholds

    @classmethod
    def load(cls) -> StarScale:
        rule = RULES[STAR_THRESHOLDS.key]
        rows = RegionRule.objects.unscoped(reason="rules: local rules read by region path").filter(key=rule.key).values_list("region_path",
                                                                              "value")
        return cls(_clean(rule.base()), {p: _clean(rule.from_json(v)) for p, v in rows})

    def thresholds(self, region_path: str) -> list[Decimal]:
        """The override nearest above the region (community → street → district), else default."""
        for n in (15, 12, 9, 6):
            if n <= len(region_path) and region_path[:n] in self.overrides:
                return self.overrides[region_path[:n]]
        return self.default

    def stars(self, hours: Decimal, region_path: str) -> int:
        return stars_for(hours, self.thresholds(region_path))

    def next_threshold(self, hours: Decimal, region_path: str) -> Decimal | None:
        return next((t for t in self.thresholds(region_path) if hours < t), None)

    def _partitions(self, within: str) -> list[tuple[Q, list[Decimal]]]:
        """(region Q, thresholds) pieces that together cover the subtree ``within`` exactly."""
        # Overrides above ``within`` decide its base; those inside carve out their subtrees.
        base = self.thresholds(within)
        inside = sorted(p for p in self.overrides if p.startswith(within) and p != within)
        pieces: list[tuple[Q, list[Decimal]]] = []
        carve = Q(pk__in=[])
        for p in inside:
            deeper = [d for d in inside if d != p and d.startswith(p)]
            q = _subtree(p)
            for d in deeper:
                q &= ~_subtree(d)
            pieces.append((q, self.overrides[p]))
            carve |= _subtree(p)
        pieces.append((_subtree(within) & ~carve, base))
        return pieces

    def band_q(self, stars: int, within: str, field_name: str = "hours_confirmed") -> Q:
        """Volunteers of the subtree with exactly ``stars`` stars (0 … 5)."""
        q = Q(pk__in=[])
        for region_q, thresholds in self._partitions(within):
            if not 0 <= stars <= len(thresholds):
                continue  # no volunteer has -1 or 6 stars (the band would index past the scale)
            lower = thresholds[stars - 1] if stars > 0 else None
            upper = thresholds[stars] if stars < len(thresholds) else None
            band = Q()
            if lower is not None:
                band &= Q(**{f"{field_name}__gte": lower})
            if upper is not None:
                band &= Q(**{f"{field_name}__lt": upper})
            q |= region_q & band
        return q
