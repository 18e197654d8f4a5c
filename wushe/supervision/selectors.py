"""Reads of supervisions and rectifications, scoped by supervision.view (accounts.scope).

A supervision is seen by whoever holds supervision.view over the supervised project's region
(a session: the region it was held for), so a community's staff see their community's
projects' visits and nobody else's; a detail outside scope is the same NotFound as a missing
row.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, F, Prefetch, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from wushe.accounts import scope
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.ids import identifier_text
from wushe.projects.models import ProjectIndicator, ServiceProject
from wushe.regions.selectors import in_region
from wushe.supervision.models import (
    SESSION_KINDS,
    VISIT_KINDS,
    Rectification,
    RectificationStatus,
    Supervision,
    VisitStatus,
    overdue_q,
    rectification_overdue_q,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "supervision.view"
STATES = ("planned", "done", "overdue", "missed")
LIST_RELATED = ("project", "region", "supervising_site", "supervisor")






def _state_q(state: str, today: dt.date) -> Q:
    if state == "overdue":
        return overdue_q(today)
    if state == "planned":  # planned and not yet due
        return Q(status=VisitStatus.PLANNED, scheduled_on__gte=today)
    if state in (VisitStatus.DONE, VisitStatus.MISSED):
        return Q(status=state)
    raise ValidationFailed("状态无效", "Invalid status", field="state")


def visible(actor: Actor) -> QuerySet[Supervision]:
    return scope.visible(Supervision.objects, actor, VIEW)


@dataclass(frozen=True)
class VisitFilters:
    kind: str = ""
    tier: str = ""
    state: str = ""  # planned (not yet due) / done / overdue / missed
    region_code: str = ""
    project_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    sessions: bool | None = None  # True: sessions only, False: visits only

    def apply(self, qs: QuerySet[Supervision], today: dt.date | None = None
              ) -> QuerySet[Supervision]:
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.tier:
            qs = qs.filter(tier=self.tier)
        if self.state:
            qs = qs.filter(_state_q(self.state, today or dt.date.today()))
        if self.project_id is not None:
            qs = qs.filter(project_id=self.project_id)
        if self.date_from:
            qs = qs.filter(scheduled_on__gte=self.date_from)
        if self.date_to:
            qs = qs.filter(scheduled_on__lte=self.date_to)
        if self.sessions is True:
            qs = qs.filter(kind__in=SESSION_KINDS)
        elif self.sessions is False:
            qs = qs.filter(kind__in=VISIT_KINDS)
        return in_region(qs, self.region_code)


def supervision_list(*, actor: Actor, filters: VisitFilters) -> QuerySet[Supervision]:
    return (filters.apply(visible(actor)).select_related(*LIST_RELATED)
            .annotate(open_items=Count("rectifications",
                                       filter=Q(rectifications__status="open")))
            .order_by("scheduled_on", "id"))


def supervision_get(*, actor: Actor, supervision_id: Any) -> Supervision:
    try:
        return visible(actor).select_related(*LIST_RELATED).get(pk=supervision_id)
    except (Supervision.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def overdue_visits(*, actor: Actor, filters: VisitFilters | None = None,
                   today: dt.date | None = None) -> QuerySet[Supervision]:
    """Planned visits whose date has passed, oldest first."""
    qs = (filters or VisitFilters()).apply(visible(actor)).filter(overdue_q(today))
    return qs.select_related(*LIST_RELATED).order_by("scheduled_on", "id")


def record_list(*, actor: Actor, filters: VisitFilters) -> QuerySet[Supervision]:
    """Supervisions that took place (visits and sessions), latest first: the records, each
    with its rectification items counted (``n_items``, ``open_items``)."""
    return (filters.apply(visible(actor)).filter(status=VisitStatus.DONE)
            .select_related(*LIST_RELATED)
            .annotate(n_items=Count("rectifications"),
                      open_items=Count("rectifications", filter=Q(rectifications__status="open")))
            .order_by("-done_on", "-id"))


# --- rectifications ---------------------------------------------------------------------------

def rectification_list(*, actor: Actor, state: str = "", region_code: str = "",
                       supervision: Supervision | None = None,
                       today: dt.date | None = None) -> QuerySet[Rectification]:
    """Rectification items: ``state`` open / overdue / closed (or all)."""
    qs = scope.visible(Rectification.objects, actor, VIEW)
    if state == "overdue":
        qs = qs.filter(rectification_overdue_q(today))
    elif state in RectificationStatus.values:
        qs = qs.filter(status=state)
    elif state:
        raise ValidationFailed("状态无效", "Invalid status", field="state")
    if supervision is not None:
        qs = qs.filter(supervision=supervision)
    return (in_region(qs, region_code)
            .select_related("supervision", "supervision__project", "supervision__region")
            .order_by("due_on", "id"))


def overdue_rectifications(*, actor: Actor, region_code: str = "",
                           today: dt.date | None = None) -> QuerySet[Rectification]:
    return rectification_list(actor=actor, state="overdue", region_code=region_code, today=today)


def rectification_get(*, actor: Actor, rectification_id: object) -> Rectification:
    try:
        return (scope.visible(Rectification.objects, actor, VIEW)
                .select_related("supervision", "supervision__project", "supervision__region")
                .get(pk=rectification_id))
    except (Rectification.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- projects ---------------------------------------------------------------------------------

def project_get(*, actor: Actor, project_id: object) -> ServiceProject:
    """A project the actor may see (projects.view): to schedule or to show its supervision."""
    return scope.get_or_404(ServiceProject.objects.select_related("region"), actor,
                            "projects.view", pk=project_id)


def project_supervisions(*, actor: Actor, project: ServiceProject) -> list[Supervision]:
    """The project's visits and sessions with their rectification items (two queries)."""
    return list(visible(actor).filter(project=project).select_related("supervisor",
                                                                       "supervising_site")
                .prefetch_related(Prefetch("rectifications",
                                           queryset=Rectification.objects.unscoped(reason="children of a row read in scope")
                                           .order_by("due_on", "id")))
                .order_by("scheduled_on", "id"))


# --- the calendar -----------------------------------------------------------------------------

@dataclass
class Day:
    date: dt.date
    in_month: bool
    items: list[Supervision] = field(default_factory=list)
    more: int = 0  # supervisions that day beyond the ones shown


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day]]
    counts: dict[str, int]

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return (self.first + dt.timedelta(days=32)).replace(day=1)


PER_DAY = 8  # a district-wide day can hold hundreds; the cell shows these, then "+N more"


def calendar_month(*, actor: Actor, year: int, month: int, filters: VisitFilters | None = None,
                   today: dt.date | None = None, per_day: int = PER_DAY) -> Month:
    """The month grid (Monday first) with every supervision scheduled in it, and counts of
    planned / done / overdue / missed."""
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ValidationFailed("月份无效", "Invalid month", field="month")
    today = today or dt.date.today()
    grid = pycalendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    qs = (filters or VisitFilters()).apply(visible(actor), today).filter(
        scheduled_on__gte=grid[0][0], scheduled_on__lte=grid[-1][-1])
    days = {d: Day(d, d.month == month) for week in grid for d in week}
    # Counted in SQL, and only the first ``per_day`` of each day fetched: a district's month
    # holds thousands of visits, and reading them all made the page grow with the data.
    first = dt.date(year, month, 1)
    in_month = qs.filter(scheduled_on__gte=first, scheduled_on__lte=_month_end(first))
    planned = Q(status=VisitStatus.PLANNED)
    counts = in_month.aggregate(
        planned=Count("id", filter=planned & Q(scheduled_on__gte=today)),
        overdue=Count("id", filter=planned & Q(scheduled_on__lt=today)),
        done=Count("id", filter=Q(status=VisitStatus.DONE)),
        missed=Count("id", filter=Q(status=VisitStatus.MISSED)))
    per_date = dict(qs.order_by().values_list("scheduled_on").annotate(n=Count("id")))
    ranked = qs.annotate(rank=Window(RowNumber(), partition_by=F("scheduled_on"),
                                     order_by=(F("kind").asc(), F("id").asc())))
    for s in (ranked.filter(rank__lte=per_day).select_related("project", "region")
              .order_by("scheduled_on", "kind", "id")):
        days[s.scheduled_on].items.append(s)
    for date, n in per_date.items():
        days[date].more = max(0, n - per_day)
    return Month(year, month, [[days[d] for d in week] for week in grid],
                 {state: counts[state] for state in STATES})


def _month_end(first: dt.date) -> dt.date:
    return first.replace(day=pycalendar.monthrange(first.year, first.month)[1])


def project_by_code(*, actor: Actor, code: str) -> ServiceProject:
    return scope.get_or_404(ServiceProject.objects.select_related("region"), actor,
                            "projects.view", code=identifier_text(
                                code, what_zh="项目编号", what_en="project code", field="code").upper())


def project_indicators(*, actor: Actor, project: ServiceProject) -> list[Any]:
    """The project's output indicators (what the progress check compares against)."""
    return list(scope.visible(ProjectIndicator.objects, actor, "projects.view")
                .filter(project=project))
