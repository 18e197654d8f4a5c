"""Reads of social workers, training and community workers: scoped by workforce.view."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.paginator import Page
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.core.ids import to_half_width
from wushe.core.paging import deferred_page
from wushe.regions import rules
from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import in_region
from wushe.workforce import staffing
from wushe.workforce.models import (
    Appraisal,
    CertificateLevel,
    CommunityWorker,
    SocialWorker,
    Training,
    WorkerStatus,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VIEW = "workforce.view"
WORKER_ORDER = ("region_path", "id")






def _get(qs: QuerySet[Any], pk: object) -> Any:
    try:
        return qs.get(pk=pk)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


# --- social workers -------------------------------------------------------------------------

@dataclass(frozen=True)
class SocialWorkerFilters:
    q: str = ""  # name prefix or certificate number
    level: str = ""  # a CertificateLevel, or "certified"
    status: str = ""
    placed: str = ""  # "", "yes", "no", or a site kind (sw_centre/sw_station/sw_room)
    region_code: str = ""

    def apply(self, qs: QuerySet[SocialWorker]) -> QuerySet[SocialWorker]:
        q = to_half_width(self.q).strip()
        if q:
            qs = qs.filter(Q(person__name=q) | Q(certificate_number=q.upper()))
        if self.level == "certified":
            qs = qs.exclude(certificate_level=CertificateLevel.NONE)
        elif self.level:
            qs = qs.filter(certificate_level=self.level)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.placed == "yes":
            qs = qs.filter(site__isnull=False)
        elif self.placed == "no":
            qs = qs.filter(site=None)
        elif self.placed:
            qs = qs.filter(site__kind=self.placed)
        return in_region(qs, self.region_code)


def social_worker_list(*, actor: Actor, filters: SocialWorkerFilters | None = None
                       ) -> QuerySet[SocialWorker]:
    qs = scope.visible(SocialWorker.objects, actor, VIEW)
    qs = (filters or SocialWorkerFilters()).apply(qs)
    return qs.select_related("person", "region", "site", "employer").order_by(*WORKER_ORDER)


def social_worker_page(*, actor: Actor, filters: SocialWorkerFilters | None = None,
                       number: object = 1) -> Page:
    qs = social_worker_list(actor=actor, filters=filters)
    return deferred_page(qs, number, settings.WUSHE_PAGE_SIZE,
                         lambda ids: qs.filter(pk__in=ids).order_by())


def social_worker_get(*, actor: Actor, worker_id: object) -> SocialWorker:
    return _get(social_worker_list(actor=actor), worker_id)


def training_list(*, actor: Actor, worker: SocialWorker) -> QuerySet[Training]:
    return scope.visible(Training.objects, actor, VIEW).filter(worker=worker).select_related("by")


def training_by_year(*, actor: Actor, worker: SocialWorker) -> list[dict[str, Any]]:
    """Hours per year for one worker, newest first, each against the yearly minimum."""
    minimum = rules.value("workforce.training_hours_min", worker.region_path)
    rows = (training_list(actor=actor, worker=worker).annotate(year=ExtractYear("on"))
            .values("year").annotate(hours=Sum("hours"), n=Count("pk")).order_by("-year"))
    return [{"year": r["year"], "hours": Decimal(r["hours"]).quantize(Decimal("0.1")),
             "count": r["n"], "met": r["hours"] >= minimum} for r in rows]


@dataclass(frozen=True)
class TrainingTotal:
    worker: SocialWorker
    hours: Decimal
    sessions: int
    met: bool


def training_totals(*, actor: Actor, year: int, region_code: str = "",
                    below_only: bool = False) -> tuple[QuerySet[SocialWorker], Decimal]:
    """Active workers with their hours in ``year`` (zero when none), and the yearly minimum."""
    minimum = Decimal(rules.value("workforce.training_hours_min"))
    in_year = Q(trainings__on__gte=dt.date(year, 1, 1), trainings__on__lte=dt.date(year, 12, 31))
    qs = (social_worker_list(actor=actor, filters=SocialWorkerFilters(region_code=region_code))
          .filter(status=WorkerStatus.ACTIVE)
          .annotate(year_hours=Sum("trainings__hours", filter=in_year, default=Decimal(0)),
                    year_sessions=Count("trainings", filter=in_year)))
    if below_only:
        qs = qs.filter(year_hours__lt=minimum)
    return qs, minimum


# --- community workers ----------------------------------------------------------------------

@dataclass(frozen=True)
class CommunityWorkerFilters:
    q: str = ""
    post: str = ""
    status: str = ""
    region_code: str = ""

    def apply(self, qs: QuerySet[CommunityWorker]) -> QuerySet[CommunityWorker]:
        q = to_half_width(self.q).strip()
        if q:
            qs = qs.filter(person__name=q)
        if self.post:
            qs = qs.filter(post=int(self.post))
        if self.status:
            qs = qs.filter(status=self.status)
        return in_region(qs, self.region_code)


def community_worker_list(*, actor: Actor, filters: CommunityWorkerFilters | None = None
                          ) -> QuerySet[CommunityWorker]:
    qs = scope.visible(CommunityWorker.objects, actor, VIEW)
    qs = (filters or CommunityWorkerFilters()).apply(qs)
    return qs.select_related("person", "community").order_by(*WORKER_ORDER)


def community_worker_page(*, actor: Actor, filters: CommunityWorkerFilters | None = None,
                          number: object = 1) -> Page:
    qs = community_worker_list(actor=actor, filters=filters)
    return deferred_page(qs, number, settings.WUSHE_PAGE_SIZE,
                         lambda ids: qs.filter(pk__in=ids).order_by())


def community_worker_get(*, actor: Actor, worker_id: object) -> CommunityWorker:
    return _get(community_worker_list(actor=actor), worker_id)


def appraisal_list(*, actor: Actor, worker: CommunityWorker) -> QuerySet[Appraisal]:
    return scope.visible(Appraisal.objects, actor, VIEW).filter(worker=worker).select_related("by")


# --- staffing -------------------------------------------------------------------------------

def staffing_report(*, actor: Actor, region: Region | None = None) -> staffing.StaffingReport:
    """The standard for every community the actor may see workers of (under ``region``)."""
    communities = scope.visible(Region.objects, actor, VIEW).filter(level=RegionLevel.COMMUNITY)
    workers = scope.visible(CommunityWorker.objects, actor, VIEW)
    if region is not None:
        communities = communities.filter(scope.subtree_q("path", region.path))
        workers = workers.filter(scope.subtree_q("region_path", region.path))
    return staffing.build_report(communities, workers)


def staffing_streets(*, actor: Actor) -> list[Region]:
    """Streets the actor may see workers in: the choices of the staffing page's filter."""
    return list(scope.visible(Region.objects, actor, VIEW).filter(level=RegionLevel.STREET)
                .only("code", "name", "path").order_by("code"))
