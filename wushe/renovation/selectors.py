"""Reads of the renovation programme, scoped by region: the district sees every site, a
street its own (outside scope answers like missing). Also the two figures the KPI module
will use: centres renovated (accepted) and yuan invested (spent) per region and period."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from wushe.accounts import scope
from wushe.core.errors import NotFound
from wushe.regions.models import Region, Site, SiteKind
from wushe.renovation.models import (
    Programme,
    Progress,
    Renovation,
    RenovationDocument,
    Spending,
    Transition,
)
from wushe.renovation.services import VIEW

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor
    from wushe.core.scoping import ScopedManager
    from wushe.reports.kpis.base import Period

MONEY = DecimalField(max_digits=16, decimal_places=2)
ZERO = Value(Decimal("0"), output_field=MONEY)


def _spent_subquery() -> Any:
    return Coalesce(Subquery(
        Spending.objects.unscoped(reason="subquery: the outer rows are scoped").filter(renovation=OuterRef("pk"))
        .values("renovation").annotate(s=Sum("amount")).values("s")[:1],
        output_field=MONEY), ZERO)


def visible_renovations(actor: Actor) -> QuerySet[Renovation]:
    return scope.visible(Renovation.objects, actor, VIEW)


def programme_list(*, actor: Actor) -> QuerySet[Programme]:
    """Programmes whose region the actor sees, or with a renovated centre the actor sees."""
    own = scope.filter_q(actor, VIEW, "region_path")
    qs = Programme.objects.mark_scoped()
    if own is not None:
        site_programmes = visible_renovations(actor).values("programme_id")
        qs = qs.filter(own | Q(pk__in=site_programmes))
    return qs.select_related("region")


def programme_get(*, actor: Actor, programme_id: int) -> Programme:
    try:
        return programme_list(actor=actor).get(pk=programme_id)
    except (Programme.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def programme_renovations(*, actor: Actor, programme: Programme) -> QuerySet[Renovation]:
    """The programme's centres the actor sees, each with ``spent``."""
    return (visible_renovations(actor).filter(programme=programme)
            .select_related("site", "site__region").annotate(spent=_spent_subquery())
            .order_by("region_path", "site__name"))


@dataclass(frozen=True)
class ProgrammeFigures:
    sites: int
    budget: Decimal
    contracted: Decimal
    spent: Decimal
    by_progress: dict[str, int]


def programme_figures(*, actor: Actor, programme: Programme) -> ProgrammeFigures:
    """Budget vs contract vs spent and the progress counts, over the centres the actor sees."""
    rows = visible_renovations(actor).filter(programme=programme)
    agg = rows.aggregate(n=Count("pk"), budget=Sum("budget"), contracted=Sum("contract_amount"),
                         **{p: Count("pk", filter=Q(progress=p)) for p in Progress.values})
    spent = scope.visible(Spending.objects, actor, VIEW).filter(
        renovation__programme=programme).aggregate(s=Sum("amount"))["s"]
    return ProgrammeFigures(sites=agg["n"], budget=agg["budget"] or Decimal("0"),
                            contracted=agg["contracted"] or Decimal("0"),
                            spent=spent or Decimal("0"),
                            by_progress={p: agg[p] for p in Progress.values})


def renovation_get(*, actor: Actor, renovation_id: int) -> Renovation:
    try:
        return (visible_renovations(actor).select_related("programme", "site", "site__region")
                .annotate(spent=_spent_subquery()).get(pk=renovation_id))
    except (Renovation.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound() from exc


def renovation_spendings(*, actor: Actor, renovation: Renovation) -> QuerySet[Spending]:
    return scope.visible(Spending.objects, actor, VIEW).filter(renovation=renovation)


def renovation_documents(*, actor: Actor, renovation: Renovation) -> QuerySet[RenovationDocument]:
    return (scope.visible(RenovationDocument.objects, actor, VIEW).filter(renovation=renovation)
            .defer("data"))


def renovation_transitions(*, actor: Actor, renovation: Renovation) -> QuerySet[Transition]:
    return scope.visible(Transition.objects, actor, VIEW).filter(renovation=renovation)


def document_get(*, actor: Actor, document_id: int) -> RenovationDocument:
    return scope.get_or_404(RenovationDocument.objects, actor, VIEW, pk=document_id)


def candidate_sites(*, actor: Actor, programme: Programme) -> QuerySet[Site]:
    """Party centres of the programme's region the actor sees, not yet in the programme."""
    return (scope.visible(Site.objects, actor, VIEW)
            .filter(kind=SiteKind.PARTY_CENTRE, active=True,
                    region_path__startswith=programme.region_path)
            .exclude(renovations__programme=programme).select_related("region"))


def _in_region(objects: ScopedManager[Any], actor: Actor | None, region: Region) -> QuerySet[Any]:
    qs: QuerySet[Any] = (objects.unscoped(reason="kpi: filtered by the region path")
                         .filter(scope.subtree_q("region_path", region.path)))
    if actor is not None:
        qs = scope.visible(qs, actor, VIEW)
    return qs


def renovated_sites(actor: Actor | None, region: Region, period: Period | None = None) -> int:
    """Party centres whose renovation was accepted in ``period`` (all time when None or
    open), in ``region``'s subtree, within the actor's scope (no actor: unscoped, for the
    figures job). A centre renovated twice (two programmes) counts once."""
    qs = _in_region(Renovation.objects, actor, region).filter(progress=Progress.ACCEPTED)
    if period is not None and period.start is not None:
        qs = qs.filter(accepted_on__gte=period.start)
    if period is not None and period.end is not None:
        qs = qs.filter(accepted_on__lte=period.end)
    return qs.values("site_id").distinct().count()


def invested_yuan(actor: Actor | None, region: Region, period: Period | None = None) -> Decimal:
    """Yuan spent on renovations (by spending date) in ``period`` in ``region``'s subtree."""
    qs = _in_region(Spending.objects, actor, region)
    if period is not None and period.start is not None:
        qs = qs.filter(spent_on__gte=period.start)
    if period is not None and period.end is not None:
        qs = qs.filter(spent_on__lte=period.end)
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal("0")
