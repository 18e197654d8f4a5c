"""How an opening balance enters a figure (the KPI engine calls these; one place).

The rule, for the cumulative period (``Period.all()``) only:

    figure(subtree) = Σ approved opening balances of regions in the subtree
                      + records of the subtree, except those of a balance's region dated on
                        or before that balance's ``as_of`` (they are already in its figure).

- Only flows take a balance: a stock (sites, workers, the current state "目前") is what exists
  now, and its history adds nothing, so a balance for a stock KPI is refused; so are rates,
  scores and shares (not additive) and KPIs computed by custom code.
- A record dated by a year number (a project's year) is "on or before" ``as_of`` when its year
  is not after ``as_of``'s year.
- A bounded period (a year, a month) counts records only: an opening balance is one total up
  to a date, with no distribution over years, so no correct share of it belongs to a year.
- A balance counts in the figure of its region and of every region above it, never in the
  figure of a region below it (it is not apportioned). Two approved balances of one KPI may
  not nest (an ancestor's already holds the descendant's history).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Q
from django.utils import timezone

from wushe.accounts.scope import subtree_q

if TYPE_CHECKING:
    from collections.abc import Sequence

    from wushe.reports.kpis.base import Kpi
    from wushe.reports.kpis.history import Opening

ADDITIVE_UNITS = ("count", "yuan", "hours", "people")


@dataclass(frozen=True)
class Balance:
    key: str
    path: str
    as_of: dt.date
    value: Decimal
    source: str


def accepts(kpi: Kpi) -> bool:
    """Whether ``kpi`` may take an opening balance (an additive flow of one source)."""
    return (kpi.custom is None and kpi.per is None and kpi.source is not None
            and kpi.is_flow and str(kpi.unit) in ADDITIVE_UNITS)


def current(keys: list[str] | None = None, within: str = "") -> dict[str, list[Balance]]:
    """The approved, not superseded balances, by KPI key (those of the subtree of ``within``).
    One query."""
    from wushe.openings.models import OpeningBalance, OpeningState

    qs = OpeningBalance.objects.unscoped(reason="kpi: filtered by the region path").filter(state=OpeningState.APPROVED,
                                                  superseded_at__isnull=True)
    if keys is not None:
        qs = qs.filter(kpi_key__in=keys)
    if within:
        qs = qs.filter(region_path__startswith=within)
    out: dict[str, list[Balance]] = {}
    for key, path, as_of, value, source in qs.order_by("region_path").values_list(
            "kpi_key", "region_path", "as_of", "value", "source"):
        out.setdefault(key, []).append(Balance(key, path, as_of, value, source))
    return out


def before_q(kpi: Kpi, balances: Sequence[Opening]) -> Q:
    """The records already counted in ``balances`` (their regions, on or before as_of)."""
    source = kpi.source
    assert source is not None
    q = Q(pk__in=[])
    for b in balances:
        if source.date_field:
            day_after = b.as_of + dt.timedelta(days=1)
            bound: Any = day_after
            if source.is_datetime:
                bound = dt.datetime.combine(day_after, dt.time.min,
                                            tzinfo=timezone.get_current_timezone())
            when = Q(**{f"{source.date_field}__lt": bound})
        else:
            assert source.year_field
            when = Q(**{f"{source.year_field}__lte": b.as_of.year})
        q |= subtree_q(source.path_field, b.path) & when
    return q


def plus(kpi: Kpi, finished: Any, opening: Decimal) -> Any:
    """A finished figure plus an opening total, in the figure's form (int or 2-place float)."""
    if str(kpi.unit) in ("count", "people"):
        return int(finished or 0) + int(opening)
    return float((Decimal(str(finished or 0)) + opening).quantize(Decimal("0.01")))


@dataclass(frozen=True)
class Split:
    """Which part of a cumulative figure is the opening balance and which the records."""

    key: str
    opening: Any
    records: Any
    as_of: dt.date  # the latest as_of of the balances in the subtree
    source: str  # their source documents, joined
    count: int  # how many balances (regions) make the opening part

    def note(self, lang: str = "zh") -> str:
        from wushe.reports.annual.narrative import format_value

        shown = format_value(self.key, self.opening, lang)
        if lang == "en":
            return (f"of which opening balance {shown} "
                    f"(as of {self.as_of:%Y-%m-%d}, source: {self.source})")
        return (f"其中期初 {shown}"
                f"(截至 {self.as_of:%Y-%m-%d},来源:{self.source})")


def split(path: str, keys: list[str] | None = None) -> dict[str, Split]:
    """{key: Split} for the KPIs whose cumulative figure for the subtree of ``path`` includes
    an opening balance (computed live: the figure less the balances is the records part)."""
    from wushe.reports.kpis import KPIS, Period, compute

    found = current(keys, within=path)
    found = {k: v for k, v in found.items() if k in KPIS and accepts(KPIS[k])}
    if not found:
        return {}
    totals = compute(path, Period.all(), list(found))
    out: dict[str, Split] = {}
    for key, balances in found.items():
        kpi = KPIS[key]
        opening = sum((b.value for b in balances), Decimal(0))
        total = totals[key]
        op = plus(kpi, 0, opening)
        sources = list(dict.fromkeys(b.source for b in balances))
        out[key] = Split(key, op, plus(kpi, total, Decimal(0)) - op, max(b.as_of for b in balances),
                         ";".join(sources), len(balances))
    return out


def lines(path: str, lang: str = "zh") -> list[dict[str, Any]]:
    """What the cockpit and the annual report print for the subtree of ``path``: per KPI whose
    cumulative figure includes an opening balance, the label, the total and which part is
    which ("其中期初 X(截至 date,来源 …)")."""
    from wushe.reports.annual.narrative import format_value
    from wushe.reports.kpis import KPIS

    out = []
    for key, s in sorted(split(path).items(), key=lambda kv: KPIS[kv[0]].zh):
        kpi = KPIS[key]
        total = plus(kpi, s.records, Decimal(str(s.opening)))
        records = format_value(key, s.records, lang)
        if lang == "en":
            sentence = (f"{kpi.en}, cumulative: {format_value(key, total, lang)}; "
                        f"{s.note(lang)}, records on the platform after that date {records}.")
        else:
            sentence = (f"{kpi.zh}累计{format_value(key, total, lang)},{s.note(lang)},"
                        f"平台记录{records}。")
        out.append({"key": key, "label": kpi.label(lang),
                    "total": format_value(key, total, lang), "note": s.note(lang),
                    "records": records, "sentence": sentence})
    return out
