"""Reads of the projects app, scoped through projects/access.py (region grants plus the
org_staff object grant). Other apps may call:

- ``project_list(actor=, filters=)``, ``project_get(actor=, project_id=)``
- ``projects_for_need(actor, need)``: the projects serving a need, as the actor may see them
- ``budget_burn(project)``: paid vs contract amount vs budget
- ``project_events(project)``, ``project_tranches(project)``, ``project_indicators(project)``
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.projects import access, hooks
from wushe.projects.models import (
    Contract,
    ContractTranche,
    ListStatus,
    Payment,
    ProjectEvent,
    ProjectIndicator,
    ProjectNeed,
    PurchaseList,
    ServiceProject,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

ZERO = Decimal(0)
CENT = Decimal("0.01")


def _cent(value: Decimal | None) -> Decimal:
    """SQLite sums lose the scale: always two places."""
    return (value or ZERO).quantize(CENT)


@dataclass(frozen=True)
class ProjectFilters:
    year: int | None = None
    domain: str = ""
    status: str = ""
    region_path: str = ""
    provider_id: int | None = None
    q: str = ""

    def apply(self, qs: QuerySet[ServiceProject]) -> QuerySet[ServiceProject]:
        if self.year:
            qs = qs.filter(year=self.year)
        if self.domain:
            qs = qs.filter(domain=self.domain)
        if self.status:
            qs = qs.filter(status=self.status)
        if self.region_path:
            qs = qs.filter(scope.subtree_q("region_path", self.region_path))
        if self.provider_id:
            qs = qs.filter(provider_id=self.provider_id)
        if self.q:
            qs = qs.filter(Q(name__icontains=self.q) | Q(code__iexact=self.q))
        return qs


LIST_FIELDS = ("id", "code", "name", "domain", "year", "status", "outcome", "budget", "leveraged",
               "region_path", "region__name", "provider__name", "provider_id", "region_id")


def project_list(*, actor: Actor, filters: ProjectFilters | None = None
                 ) -> QuerySet[ServiceProject]:
    qs = access.visible(ServiceProject, actor)
    return (filters or ProjectFilters()).apply(qs).select_related("region", "provider").only(
        *LIST_FIELDS).order_by("-year", "region_path", "-id")


def project_get(*, actor: Actor, project_id: object) -> ServiceProject:
    try:
        return access.visible(ServiceProject, actor).select_related(
            "region", "provider", "renewed_from", "purchase_list", "designed_by",
        ).get(pk=int(str(project_id)))
    except (ServiceProject.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def project_events(project: ServiceProject) -> QuerySet[ProjectEvent]:
    """The timeline (the caller has the project from project_get: it is in scope)."""
    return ProjectEvent.objects.unscoped(reason="children of a row read in scope").filter(project=project).order_by("at", "id")


def project_indicators(project: ServiceProject) -> QuerySet[ProjectIndicator]:
    return ProjectIndicator.objects.unscoped(reason="children of a row read in scope").filter(project=project).order_by("id")


def project_contract(project: ServiceProject) -> Contract | None:
    return Contract.objects.unscoped(reason="children of a row read in scope").select_related("provider").filter(project=project).first()


def project_tranches(project: ServiceProject) -> list[ContractTranche]:
    return list(ContractTranche.objects.unscoped(reason="children of a row read in scope").filter(contract__project=project)
                .order_by("seq"))


def project_payments(project: ServiceProject) -> QuerySet[Payment]:
    return Payment.objects.unscoped(reason="children of a row read in scope").filter(project=project).select_related("tranche")


def project_renewals(project: ServiceProject) -> QuerySet[ServiceProject]:
    return ServiceProject.objects.unscoped(reason="children of a row read in scope").filter(renewed_from=project).only("id", "code",
                                                                                "name", "year")


@dataclass(frozen=True)
class Burn:
    budget: Decimal
    contract: Decimal
    paid: Decimal

    @property
    def paid_percent(self) -> int:
        base = self.contract or self.budget
        return min(100, int(self.paid * 100 / base)) if base else 0

    @property
    def contract_percent(self) -> int:
        return min(100, int(self.contract * 100 / self.budget)) if self.budget else 0

    @property
    def left(self) -> Decimal:
        return (self.contract or self.budget) - self.paid


def budget_burn(project: ServiceProject) -> Burn:
    """Paid vs contract amount vs budget of one project."""
    return budget_burn_many([project])[project.pk]


def budget_burn_many(projects: list[ServiceProject]) -> dict[int, Burn]:
    """The same for a page of projects, in two queries."""
    ids = [p.pk for p in projects]
    contracts = dict(Contract.objects.unscoped(reason="figures: aggregates of rows read in scope").filter(project_id__in=ids)
                     .values_list("project_id", "amount"))
    paid = dict(Payment.objects.unscoped(reason="figures: aggregates of rows read in scope").filter(project_id__in=ids).values("project_id")
                .annotate(s=Sum("amount")).values_list("project_id", "s"))
    return {p.pk: Burn(p.budget, _cent(contracts.get(p.pk)), _cent(paid.get(p.pk)))
            for p in projects}


def project_needs(*, actor: Actor, project: ServiceProject) -> dict[str, Any]:
    """The origin needs: those the actor may open (by region, the newest 200), how many in
    all, and the ids of all of them (to tick the attached ones among candidates)."""
    from wushe.needs.access import region_q
    from wushe.needs.models import Need

    ids = list(ProjectNeed.objects.unscoped(reason="children of a row read in scope").filter(project=project)
               .values_list("need_id", flat=True))
    q = region_q(actor)
    qs = Need.objects.mark_scoped().filter(pk__in=ids)
    if q is not None:
        qs = qs.filter(q)
    shown = list(qs.select_related("community").only(
        "id", "tracking_code", "category", "target_group", "state", "received_at",
        "community__name").order_by("-received_at")[:200])
    return {"total": len(ids), "shown": shown, "ids": set(ids)}


def projects_for_need(actor: Actor, need: Any, *, full: bool = False) -> list[ServiceProject]:
    """The projects serving ``need`` (it is one of their origin needs) that the actor may see,
    the newest first: the one "now serving it" is the first not closed, if any. ``full``
    loads whole rows with their region (the API's), else only what the need page shows."""
    rows = (access.visible(ServiceProject, actor).filter(need_links__need_id=need.pk)
            .order_by("-year", "-id"))
    if full:
        rows = rows.select_related("provider", "region")
    else:
        rows = rows.select_related("provider").only(
            "id", "code", "name", "year", "status", "outcome", "provider__name", "provider_id",
            "region_path")
    return sorted(rows, key=lambda p: p.status == "closed")


def need_candidates(*, actor: Actor, start: dt.date, end: dt.date, category: str = "",
                    target_group: str = "", region_path: str = "", limit: int = 200
                    ) -> list[Any]:
    """Needs of the demand menu for a period, by category × target group × region, that the
    actor sees by region (the picker of the design form)."""
    from django.utils import timezone

    from wushe.needs.access import region_q
    from wushe.needs.models import Need

    q = region_q(actor)
    qs = Need.objects.mark_scoped() if q is None else Need.objects.mark_scoped().filter(q)
    tz = timezone.get_current_timezone()
    qs = qs.filter(received_at__gte=dt.datetime.combine(start, dt.time.min, tzinfo=tz),
                   received_at__lt=dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min,
                                                       tzinfo=tz)).exclude(state="merged")
    if category:
        qs = qs.filter(category=category)
    if target_group:
        qs = qs.filter(target_group=target_group)
    if region_path:
        qs = qs.filter(scope.subtree_q("region_path", region_path))
    return list(qs.select_related("community").only(
        "id", "tracking_code", "category", "target_group", "state", "received_at",
        "region_path", "community__name").order_by("-received_at")[:limit])


def purchase_lists(*, actor: Actor, year: int | None = None) -> QuerySet[PurchaseList]:
    qs = scope.visible(PurchaseList.objects, actor, access.VIEW)
    if year:
        qs = qs.filter(year=year)
    return qs.annotate(n=Count("projects"), total=Sum("projects__budget")).order_by("-year", "id")


def purchase_list_get(*, actor: Actor, list_id: object) -> PurchaseList:
    try:
        return scope.visible(PurchaseList.objects, actor, access.VIEW).get(pk=int(str(list_id)))
    except (PurchaseList.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def list_projects(plist: PurchaseList) -> QuerySet[ServiceProject]:
    return (ServiceProject.objects.unscoped(reason="children of a row read in scope").filter(purchase_list=plist)
            .select_related("region", "provider").order_by("region_path", "id"))


def listable_projects(*, actor: Actor, plist: PurchaseList) -> QuerySet[ServiceProject]:
    """Designed projects of the list's district and year the actor may list."""
    qs = scope.visible(ServiceProject.objects, actor, access.MANAGE)
    return (qs.filter(status="designed", year=plist.year)
            .filter(scope.subtree_q("region_path", plist.region_path))
            .select_related("region").order_by("region_path", "id"))


# Public (no login): published lists only, and only non-personal fields.
PUBLIC_FIELDS = ("code", "name", "domain", "region__name", "year", "target_groups", "budget",
                 "status", "provider__name")


def public_lists() -> QuerySet[PurchaseList]:
    return (PurchaseList.objects.unscoped(reason="public: only public rows, filtered here").filter(status=ListStatus.PUBLISHED)
            .select_related("region").annotate(n=Count("projects"),
                                               total=Sum("projects__budget"))
            .order_by("-year", "-published_at"))


def public_list_get(list_id: object) -> PurchaseList:
    try:
        return public_lists().get(pk=int(str(list_id)))
    except (PurchaseList.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def public_list_rows(plist: PurchaseList) -> list[dict[str, Any]]:
    return list(ServiceProject.objects.unscoped(reason="public: only public rows, filtered here").filter(purchase_list=plist)
                .order_by("region_path", "id").values(*PUBLIC_FIELDS))


def gate_state(project: ServiceProject, tranche: ContractTranche) -> bool | None:
    """True when the tranche may be paid; None while its stage is not evaluated; False when it
    was evaluated below pass."""
    if not tranche.gate:
        return True
    return hooks.stage_passed(project, tranche.gate)
