"""Where and when a project is supervised: the tier, the supervising site, the visit dates.

Pure rules over dates and paths (plus two cached look-ups), shared by the schedule service,
the periodic job and the demo generator, so the three always agree.

- **Tier** ("中心对站、站对室"): a district- or street-level project is supervised by the district
  social-work centre (centre → station); a community-level project by its street's social-work
  station (station → room). The level is the length of the region path.
- **Term**: the project's contract term when the projects app has one on record, else its
  budget year (1 January to 31 December).
- **Slots**: the term is cut into periods of N months (the kind's cadence, a local rule); each
  period gets one visit, nominally in its middle (so a first inspection does not fall on the
  contract's first day with nothing to inspect, nor a last one after the term), scheduled on
  the next working day on or after that date (weekends, holidays and 调休 make-up days).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from wushe.core.calendar import is_workday, next_workday
from wushe.projects import workflow
from wushe.projects.models import Contract
from wushe.projects.terms import add_months
from wushe.regions import rules
from wushe.regions.models import Site, SiteKind
from wushe.supervision.models import VISIT_KINDS, Supervision, Tier, VisitStatus
from wushe.supervision.rules import CADENCE_RULES

# Delivered projects, and contracted ones about to start: they are supervised.
ACTIVE_STATUSES: frozenset[str] = frozenset({*workflow.ACTIVE, workflow.S.CONTRACTED})
DISTRICT_LEN, STREET_LEN = 6, 9


@dataclass(frozen=True)
class Slot:
    kind: str
    nominal_on: dt.date
    scheduled_on: dt.date




def tier_for(region_path: str) -> str:
    return Tier.CENTRE_TO_STATION if len(region_path) <= STREET_LEN else Tier.STATION_TO_ROOM


def supervisor_path(region_path: str, tier: str) -> str:
    """The region whose site supervises: the district (centre) or the street (station)."""
    return region_path[:DISTRICT_LEN] if tier == Tier.CENTRE_TO_STATION else \
        region_path[:STREET_LEN]


class SiteIndex:
    """Active social-work centres and stations by region path, loaded once per batch."""

    def __init__(self) -> None:
        self._by_path: dict[tuple[str, str], int] = {}
        rows = (Site.objects.unscoped(reason="job: runs over every region")
                .filter(kind__in=(SiteKind.SW_CENTRE, SiteKind.SW_STATION), active=True)
                .order_by("-id").values_list("kind", "region_path", "id"))
        for kind, path, pk in rows:  # lowest id last: the oldest site wins
            self._by_path[(kind, path)] = pk

    def site_id(self, region_path: str, tier: str) -> int | None:
        kind = SiteKind.SW_CENTRE if tier == Tier.CENTRE_TO_STATION else SiteKind.SW_STATION
        return self._by_path.get((kind, supervisor_path(region_path, tier)))


def cadences(region_path: str) -> dict[str, int]:
    """Months between two visits of each kind, as the region's local rules say."""
    return {kind: int(rules.value(CADENCE_RULES[kind], region_path)) for kind in VISIT_KINDS}


def contract_terms(project_ids: list[int]) -> dict[int, tuple[dt.date, dt.date]]:
    """(start, end) of each project's contract, for the projects that have one."""
    if not project_ids:
        return {}
    return {pid: (start, end) for pid, start, end in Contract.objects.unscoped(reason="job: runs over every region")
            .filter(project_id__in=project_ids).values_list("project_id", "start", "end")
            if start and end and end >= start}


def year_term(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _visit_day(first: dt.date, last: dt.date, term_end: dt.date) -> dt.date | None:
    """The working day for a period [first, last]: the next one on/after its middle; when the
    period's end is a run of rest days, the last working day before the term ends."""
    day = next_workday(first + dt.timedelta(days=(last - first).days // 2))
    if day <= term_end:
        return day
    day = term_end
    while day >= first and not is_workday(day):
        day -= dt.timedelta(days=1)
    return day if day >= first else None


def slots(start: dt.date, end: dt.date, cadence: dict[str, int]) -> list[Slot]:
    """Every visit of a term, kind by kind, in date order."""
    out: list[Slot] = []
    for kind in VISIT_KINDS:
        months, k = cadence[kind], 0
        while (first := add_months(start, k * months)) <= end:
            last = min(add_months(start, (k + 1) * months) - dt.timedelta(days=1), end)
            day = _visit_day(first, last, end)
            if day is not None:
                out.append(Slot(kind, first + dt.timedelta(days=(last - first).days // 2), day))
            k += 1
    return sorted(out, key=lambda s: (s.scheduled_on, VISIT_KINDS.index(s.kind)))  # type: ignore[arg-type]


@dataclass(frozen=True)
class ProjectRef:
    """What generation needs of a project (the demo passes plain rows)."""

    id: int
    region_id: int
    region_path: str
    year: int


def _refs(projects: Iterable[Any]) -> list[ProjectRef]:
    return [p if isinstance(p, ProjectRef) else
            ProjectRef(p.pk, p.region_id, p.region_path, p.year) for p in projects]


def plan_visits(projects: Iterable[Any], *, terms: dict[int, tuple[dt.date, dt.date]] | None = None,
                sites: SiteIndex | None = None) -> list[Supervision]:
    """Unsaved visits of every slot of these projects' terms not already on record."""
    refs = _refs(projects)
    if not refs:
        return []
    ids = [r.id for r in refs]
    terms = terms if terms is not None else contract_terms(ids)
    sites = sites or SiteIndex()
    existing = set(Supervision.objects.unscoped(reason="job: runs over every region")
                   .filter(project_id__in=ids, kind__in=VISIT_KINDS, nominal_on__isnull=False)
                   .values_list("project_id", "kind", "nominal_on"))
    cadence_by_path: dict[str, dict[str, int]] = {}
    out: list[Supervision] = []
    for ref in refs:
        if ref.region_path not in cadence_by_path:
            cadence_by_path[ref.region_path] = cadences(ref.region_path)
        start, end = terms.get(ref.id) or year_term(ref.year)
        tier = tier_for(ref.region_path)
        site_id = sites.site_id(ref.region_path, tier)
        for slot in slots(start, end, cadence_by_path[ref.region_path]):
            if (ref.id, slot.kind, slot.nominal_on) in existing:
                continue
            out.append(Supervision(
                project_id=ref.id, kind=slot.kind, tier=tier, supervising_site_id=site_id,
                region_id=ref.region_id, region_path=ref.region_path,
                nominal_on=slot.nominal_on, scheduled_on=slot.scheduled_on,
                status=VisitStatus.PLANNED))
    return out
