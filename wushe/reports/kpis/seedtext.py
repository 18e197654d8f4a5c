"""The seed text's figures as ranges: what a KPI's ``seed=`` quote says the figure is.

The tolerances of issue #19, and no others:

- an exact number matches exactly ("615家" → 615);
- "X余" runs from X up to one unit of X's last given digit more, exclusive (300余 → 300–399,
  4000余 → 4,000–4,999, 1.5万余 → 15,000–15,999, 20万余 → 200,000–209,999);
- "近X" is 80–100 % of X (近25万 → 200,000–250,000);
- a figure in 万 without 余 is within half a unit of its last digit (18.3万 → 182,500–183,499,
  2万 → 15,000–24,999).

The "last given digit": a whole number's trailing zeros only place it (the unit of 4000 is
1,000), while every digit written before 万 is given when 万 belongs to X (the unit of 20万余
is 1万, of 1.5万余 0.1万); in "2300余万" X is 2300, so 2300余万 → 23,000,000–23,999,999. The figure of a quote is its last number that is not a
year ("2020年以来…5000余万元" → 5000余万); a quote with no number ("全覆盖"), or one stating a
rule ("不少于18名"), states no figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

NUMBER = re.compile(r"(近)?(\d+(?:\.\d+)?)(余)?(万)?(余)?(年)?")
RULE_MARKERS = ("不少于", "不低于", "不超过")


@dataclass(frozen=True)
class Expected:
    """The closed range [low, high] the quote allows, and how it was read."""

    low: int
    high: int
    rule: str  # exact / 余 / 近 / 万

    def admits(self, value: Any) -> bool:
        return value is not None and self.low <= Decimal(str(value)) <= self.high

    def __str__(self) -> str:
        return f"{self.low:,}" if self.low == self.high else f"{self.low:,}–{self.high:,}"


def _unit(digits: str, wan: bool) -> Decimal:
    """One unit of the last given digit of ``digits``: "4000" → 1,000 and "300" → 100 (the
    trailing zeros of a whole number only place it), but every digit written before 万 is
    given ("20万" → 1万, "1.5万" → 0.1万), as the issue's examples read."""
    if "." in digits:
        return Decimal(1).scaleb(-len(digits.split(".", 1)[1]))
    if wan:
        return Decimal(1)
    stripped = digits.rstrip("0")
    return Decimal(10) ** (len(digits) - len(stripped)) if stripped else Decimal(1)


def parse(quote: str) -> Expected | None:
    """The range the quote states for its figure, or None when it states no figure."""
    if any(marker in quote for marker in RULE_MARKERS):
        return None
    found = [m for m in NUMBER.finditer(quote) if not m.group(6)]
    if not found:
        return None
    near, digits, more_before, wan, more_after = found[-1].groups()[:5]
    scale = Decimal(10_000) if wan else Decimal(1)
    x = Decimal(digits) * scale
    # "2300余万": X is 2300 (its zeros only place it), then in 万; "20万余": X is 20万.
    unit = _unit(digits, bool(wan) and not more_before) * scale
    if more_before or more_after:
        return Expected(int(x), int(x + unit) - 1, "余")
    if near:
        return Expected(int((x * Decimal("0.8")).to_integral_value()), int(x), "近")
    if wan:
        half = unit / 2
        return Expected(int(x - half), int(x + half) - 1, "万")
    return Expected(int(x), int(x), "exact")


@dataclass(frozen=True)
class Row:
    key: str
    quote: str
    expected: Expected
    value: Any

    @property
    def ok(self) -> bool:
        return self.expected.admits(self.value)


def compare(kpis: dict[str, Any], values: dict[str, Any]) -> list[Row]:
    """Every KPI whose quote states a figure, with its value (None when absent)."""
    rows = []
    for key, kpi in kpis.items():
        expected = parse(kpi.seed) if kpi.seed else None
        if expected is not None:
            rows.append(Row(key, kpi.seed, expected, values.get(key)))
    return rows


def table(rows: list[Row]) -> str:
    """A plain-text table: key, the quote, the range it allows, the value, ok or MISS."""
    lines = [f"{'key':<50} {'seed range':>27} {'value':>16}  quote"]
    for r in rows:
        value = "—" if r.value is None else f"{r.value:,}"
        lines.append(f"{r.key:<50} {str(r.expected):>27} {value:>16}  "
                     f"{'ok  ' if r.ok else 'MISS'} {r.quote}")
    return "\n".join(lines)
