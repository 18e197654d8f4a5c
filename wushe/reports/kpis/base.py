"""The KPI machinery: a period, a source of rows, a KPI, and the set-based engine.

A KPI is declared once (key, labels, unit, definition in both languages, and how it is
computed). ``compute_many`` is the one way to get figures for a region subtree and a period:
it batches KPIs of the same source into one aggregate query;
``grouped`` computes a KPI for every region node of the tree at once (GROUP BY the path
prefix of a level), which is what the rollup refresh uses. All three agree by construction:
they apply the same filters and the same aggregate expression.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db.models import QuerySet
from django.db.models.functions import Substr
from django.utils import timezone

from wushe.accounts.scope import subtree_q
from wushe.core.errors import ValidationFailed
from wushe.reports.kpis import history

# Region path lengths of the levels a rollup keeps: district, street, community.
LEVEL_LENGTHS = (6, 9, 12)
MAX_RANGE_DAYS = 3660


@dataclass(frozen=True)
class Period:
    """A closed date range [start, end]; both None means all time (cumulative)."""

    start: dt.date | None = None
    end: dt.date | None = None

    @classmethod
    def all(cls) -> Period:
        return cls()

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(dt.date(year, month, 1),
                   dt.date(year, month, calendar.monthrange(year, month)[1]))

    @classmethod
    def parse(cls, text: str | int | None) -> Period:
        """"" or "all", "2025", "2025-03", or "2025-01-01..2025-06-30"."""
        raw = str(text or "").strip()
        try:
            if raw in ("", "all"):
                return cls.all()
            if ".." in raw:
                a, b = raw.split("..", 1)
                start, end = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
                if start > end or (end - start).days > MAX_RANGE_DAYS:
                    raise ValueError(raw)
                return cls(start, end)
            if len(raw) == 7 and raw[4] == "-":
                return cls.month(int(raw[:4]), int(raw[5:]))
            if len(raw) == 4 and raw.isdigit() and 1990 <= int(raw) <= 2100:
                return cls.year(int(raw))
        except ValueError:
            pass
        raise ValidationFailed(f"统计期间无效:{raw}", f"Invalid period: {raw}", field="period")

    @property
    def key(self) -> str:
        """The rollup's name of the period: "all", "2025" or "2025-03" (else a range)."""
        if self.start is None or self.end is None:
            return "all"
        if self == Period.year(self.start.year):
            return str(self.start.year)
        if self == Period.month(self.start.year, self.start.month):
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def is_all(self) -> bool:
        return self.start is None

    def bounds(self, is_datetime: bool) -> tuple[Any, Any]:
        """[lower, upper) in the field's type; datetimes at local midnight (Asia/Shanghai)."""
        assert self.start is not None and self.end is not None
        upper = self.end + dt.timedelta(days=1)
        if not is_datetime:
            return self.start, upper
        tz = timezone.get_current_timezone()
        return (dt.datetime.combine(self.start, dt.time.min, tzinfo=tz),
                dt.datetime.combine(upper, dt.time.min, tzinfo=tz))

    def __str__(self) -> str:
        return self.key


class Unit(StrEnum):
    COUNT = "count"
    YUAN = "yuan"
    HOURS = "hours"
    RATE = "rate"  # a share 0..1
    SCORE = "score"  # an average on a scale
    PEOPLE = "people"


UNIT_LABELS = {Unit.COUNT: ("个", ""), Unit.YUAN: ("元", "yuan"), Unit.HOURS: ("小时", "hours"),
               Unit.RATE: ("%", "%"), Unit.SCORE: ("分", "points"), Unit.PEOPLE: ("人", "people")}


@dataclass(frozen=True)
class Source:
    """Rows a family of KPIs counts: an unscoped queryset with the base filters, the path
    field the region scope applies to, and how the period applies.

    ``date_field`` set: a flow (rows whose date falls in the period); None: a stock (the
    current state, whatever the period).
    """

    name: str
    rows: Callable[[], QuerySet[Any]]
    date_field: str | None = None
    is_datetime: bool = False
    path_field: str = "region_path"
    # A flow dated by a year number (a project's year): the years the period touches.
    year_field: str | None = None

    def queryset(self, period: Period) -> QuerySet[Any]:
        qs = self.rows()
        if self.year_field and not period.is_all:
            assert period.start is not None and period.end is not None
            qs = qs.filter(**{f"{self.year_field}__gte": period.start.year,
                              f"{self.year_field}__lte": period.end.year})
        if self.date_field and not period.is_all:
            lo, hi = period.bounds(self.is_datetime)
            qs = qs.filter(**{f"{self.date_field}__gte": lo, f"{self.date_field}__lt": hi})
        return qs

    @property
    def is_flow(self) -> bool:
        return self.date_field is not None or self.year_field is not None


# An aggregate expression (Count, Sum, or arithmetic of aggregates), or a function of the
# scope path returning one (for figures whose rule depends on the region, like star bands).
AggregateSpec = Any


def _resolve(spec: AggregateSpec | None, path: str) -> Any:
    if spec is None or hasattr(spec, "resolve_expression"):
        return spec
    return spec(path)


@dataclass(frozen=True)
class Kpi:
    """One figure, defined once. ``value`` aggregates the source's rows; with ``per`` the KPI is
    the share value/per (rounded to 4 places; None when per is 0). ``custom`` replaces the
    aggregate for figures no single aggregate expresses (the staffing standard); it gets a
    ``memo`` dict shared by the custom KPIs of one computation, so several KPIs taken from
    one report build it once."""

    key: str
    zh: str
    en: str
    unit: Unit
    definition_zh: str
    definition_en: str
    source: Source | None = None
    value: AggregateSpec | None = None
    per: AggregateSpec | None = None
    digits: int | None = None  # rounding of averages
    custom: Callable[[str, Period, dict[Any, Any]], Any] | None = None
    custom_grouped: Callable[[list[str], Period, dict[Any, Any]], dict[str, Any]] | None = None
    monthly: bool = False  # rolled up by month as well (time-series charts)
    section: str = ""
    seed: str = ""  # the seed text's figure it answers, quoted

    @property
    def is_flow(self) -> bool:
        return bool(self.source and self.source.is_flow)

    def default(self) -> Any:
        return None if self.unit in (Unit.RATE, Unit.SCORE) else 0

    def finish(self, value: Any, per: Any = None) -> Any:
        """The stored/displayed form: int counts, float yuan/hours, rounded rates."""
        if self.per is not None:
            return round(int(value or 0) / int(per), 4) if per else None
        if value is None:
            return self.default()
        if self.unit == Unit.SCORE:
            return round(float(value), self.digits or 2)
        if self.unit in (Unit.YUAN, Unit.HOURS):
            return float(Decimal(value).quantize(Decimal("0.01")))
        return int(value)

    def label(self, lang: str) -> str:
        return self.en if lang == "en" else self.zh

    def definition(self, lang: str) -> str:
        return self.definition_en if lang == "en" else self.definition_zh


@dataclass
class Registry:
    kpis: dict[str, Kpi] = field(default_factory=dict)

    def add(self, kpi: Kpi) -> Kpi:
        if kpi.key in self.kpis:
            raise ValueError(f"KPI {kpi.key} defined twice")
        if kpi.custom is None and (kpi.source is None or kpi.value is None):
            raise ValueError(f"KPI {kpi.key} needs a source and a value, or a custom compute")
        self.kpis[kpi.key] = kpi
        return kpi


REGISTRY = Registry()


def define(*kpis: Kpi) -> None:
    for kpi in kpis:
        REGISTRY.add(kpi)


def _aggregates(kpis: Iterable[Kpi], path: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, kpi in enumerate(kpis):
        value = _resolve(kpi.value, path)
        assert value is not None
        out[f"v{i}"] = value
        per = _resolve(kpi.per, path)
        if per is not None:
            out[f"d{i}"] = per
    return out


def _by_source(kpis: Iterable[Kpi]) -> tuple[dict[str, list[Kpi]], list[Kpi]]:
    groups: dict[str, list[Kpi]] = {}
    custom: list[Kpi] = []
    for kpi in kpis:
        if kpi.custom is not None:
            custom.append(kpi)
        else:
            assert kpi.source is not None
            groups.setdefault(kpi.source.name, []).append(kpi)
    return groups, custom


def _openings(kpis: list[Kpi], period: Period, within: str = "") -> dict[str, Any]:
    """The approved opening balances (the provider of history.py: wushe/openings/figures.py)
    of ``kpis`` in the subtree of ``within``, by key: only the cumulative period takes them;
    one query."""
    if not period.is_all:
        return {}
    figures = history.openings()
    eligible = [k.key for k in kpis if figures.accepts(k)]
    return dict(figures.current(eligible, within=within)) if eligible else {}


def compute_many(kpis: Iterable[Kpi], path: str, period: Period) -> dict[str, Any]:
    """The KPIs for the subtree of ``path``: one aggregate query per source. For the
    cumulative period a KPI with approved opening balances in the subtree is computed on its
    own: the balances plus the records after each balance's date (openings/figures.py)."""
    kpis = list(kpis)
    openings = _openings(kpis, period, within=path)
    out: dict[str, Any] = {}
    if openings:
        figures = history.openings()
        for kpi in [k for k in kpis if k.key in openings]:
            balances = openings[kpi.key]
            assert kpi.source is not None
            row = (kpi.source.queryset(period).filter(subtree_q(kpi.source.path_field, path))
                   .exclude(figures.before_q(kpi, balances))
                   .aggregate(**_aggregates([kpi], path)))
            out[kpi.key] = figures.plus(kpi, kpi.finish(row["v0"]),
                                        sum((b.value for b in balances), Decimal(0)))
        kpis = [k for k in kpis if k.key not in openings]
    groups, custom = _by_source(kpis)
    for members in groups.values():
        source = members[0].source
        assert source is not None
        row = (source.queryset(period).filter(subtree_q(source.path_field, path))
               .aggregate(**_aggregates(members, path)))
        for i, kpi in enumerate(members):
            out[kpi.key] = kpi.finish(row[f"v{i}"], row.get(f"d{i}"))
    memo: dict[Any, Any] = {}
    for kpi in custom:
        assert kpi.custom is not None
        out[kpi.key] = kpi.custom(path, period, memo)
    return out


def grouped_many(kpis: Iterable[Kpi], roots: list[str], period: Period
                 ) -> dict[str, dict[str, Any]]:
    """{node path: {key: value}} for every district/street/community node under ``roots``
    that has rows: one GROUP BY query per source and level. Nodes absent hold the default.
    For the cumulative period, a KPI with approved opening balances is grouped on its own,
    without the records its balances already hold, and each balance is added to its region's
    node and every node above it (openings/figures.py)."""
    kpis = list(kpis)
    openings = _openings(kpis, period)
    out: dict[str, dict[str, Any]] = {}
    if openings:
        figures = history.openings()
        for kpi in [k for k in kpis if k.key in openings]:
            balances = openings[kpi.key]
            source = kpi.source
            assert source is not None
            for root in roots:
                aggs = _aggregates([kpi], root)
                for length in LEVEL_LENGTHS:
                    if length < len(root):
                        continue
                    # A balance counts at its region's node and above, not below: a node's
                    # rows leave out only those of balances at its level or deeper.
                    inside = [b for b in balances
                              if b.path.startswith(root) and len(b.path) >= length]
                    base = (source.queryset(period).filter(subtree_q(source.path_field, root))
                            .exclude(figures.before_q(kpi, inside)))
                    rows = (base.annotate(_node=Substr(source.path_field, 1, length))
                            .values("_node").annotate(**aggs).order_by())
                    for row in rows:
                        if len(row["_node"]) == length:
                            out.setdefault(row["_node"], {})[kpi.key] = kpi.finish(row["v0"])
                    for b in inside:
                        if len(b.path) >= length:
                            slot = out.setdefault(b.path[:length], {})
                            slot[kpi.key] = figures.plus(kpi, slot.get(kpi.key, 0), b.value)
        kpis = [k for k in kpis if k.key not in openings]
    groups, custom = _by_source(kpis)
    for members in groups.values():
        source = members[0].source
        assert source is not None
        for root in roots:
            aggs = _aggregates(members, root)
            base = source.queryset(period).filter(subtree_q(source.path_field, root))
            for length in LEVEL_LENGTHS:
                if length < len(root):
                    continue
                rows = (base.annotate(_node=Substr(source.path_field, 1, length))
                        .values("_node").annotate(**aggs).order_by())
                for row in rows:
                    node = row["_node"]
                    if len(node) != length:  # a row above this level (a street's fund)
                        continue
                    slot = out.setdefault(node, {})
                    for i, kpi in enumerate(members):
                        slot[kpi.key] = kpi.finish(row[f"v{i}"], row.get(f"d{i}"))
    memo: dict[Any, Any] = {}
    for kpi in custom:
        assert kpi.custom_grouped is not None, kpi.key
        for node, value in kpi.custom_grouped(roots, period, memo).items():
            out.setdefault(node, {})[kpi.key] = value
    return out
