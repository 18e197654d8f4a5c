"""Reads of the civilisation-practice app, scoped by region (outside scope is NotFound)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, QuerySet

from wushe.accounts import scope
from wushe.civilisation.models import (
    PARENT_LEVEL,
    ActivityDomain,
    Domain,
    Pairing,
    PracticeLevel,
    PracticeSite,
)
from wushe.regions.models import Region, Site

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor
    from wushe.volunteers.models import Activity

VIEW = "volunteers.view"


def _in_region(qs: Any, actor: Actor | None, region: Region | None) -> Any:
    qs = scope.visible(qs, actor, VIEW) if actor is not None else qs.all().unscoped(reason="kpi: filtered by the region path")
    if region is not None:
        qs = qs.filter(scope.subtree_q("region_path", region.path))
    return qs


def site_list(*, actor: Actor) -> QuerySet[PracticeSite]:
    from wushe.volunteers.models import Team

    return (scope.visible(PracticeSite.objects, actor, VIEW)
            .select_related("region", "parent")
            .prefetch_related(Prefetch("teams", queryset=Team.objects.unscoped(reason="children of a row read in scope").only("id", "name")))
            .order_by("region_path", "id"))


def site_tree(*, actor: Actor) -> list[dict[str, Any]]:
    """Visible sites as nested nodes: centre → 所 → 站 (a visible site whose parent is not
    visible is a root)."""
    sites = list(site_list(actor=actor))
    ids = {s.pk for s in sites}
    nodes: dict[int, dict[str, Any]] = {s.pk: {"site": s, "children": []} for s in sites}
    roots = []
    for s in sites:
        if s.parent_id in ids:
            nodes[s.parent_id]["children"].append(nodes[s.pk])  # type: ignore[index]
        else:
            roots.append(nodes[s.pk])
    return roots


def site_get(*, actor: Actor, site_id: int) -> PracticeSite:
    return scope.get_or_404(PracticeSite.objects.select_related("region", "parent"), actor, VIEW,
                            pk=site_id)


def same_place_sites(*, site: PracticeSite) -> list[Site]:
    """The service sites of the practice site's own region: the other names it may carry
    (三块牌子、一套人马). ``site`` comes from ``site_get``, so its region is in scope."""
    return list(Site.objects.unscoped(reason="children of a row read in scope").filter(region_id=site.region_id)
                .order_by("kind", "name"))


def pairing_list(*, actor: Actor, region: Region | None = None) -> QuerySet[Pairing]:
    return (_in_region(Pairing.objects, actor, region)
            .select_related("community", "community__parent")
            .annotate(activity_count=Count("activities"))
            .order_by("region_path", "-starts_on", "id"))


def pairing_get(*, actor: Actor, pairing_id: int) -> Pairing:
    return scope.get_or_404(Pairing.objects.select_related("community"), actor, VIEW,
                            pk=pairing_id)


def pairing_activities(*, pairing: Pairing) -> QuerySet[ActivityDomain]:
    """The activities done together under a pairing the caller has already read in scope."""
    return (ActivityDomain.objects.unscoped(reason="children of a row read in scope").filter(pairing=pairing)
            .select_related("activity").order_by("-starts_at"))


def _in_period(qs: Any, period: Any) -> Any:
    start = getattr(period, "start", None)
    end = getattr(period, "end", None)
    if start is not None:
        qs = qs.filter(starts_at__date__gte=start)
    if end is not None:
        qs = qs.filter(starts_at__date__lte=end)
    return qs


def domain_counts(*, actor: Actor, region: Region | None = None,
                  period: Any = None) -> list[tuple[str, Any, int]]:
    """(domain, label, activities) for each of the ten domains, zeros included."""
    qs = _in_period(_in_region(ActivityDomain.objects, actor, region), period)
    counts = dict(qs.values_list("domain").annotate(n=Count("pk")).order_by().values_list("domain", "n"))
    return [(d.value, d.label, counts.get(d.value, 0)) for d in Domain]


def domain_activities(*, actor: Actor, domain: str) -> QuerySet[ActivityDomain]:
    return (_in_region(ActivityDomain.objects, actor, None).filter(domain=domain)
            .select_related("activity", "pairing").order_by("-starts_at"))


def civilisation_activities(actor: Actor | None, region: Region, period: Any = None) -> int:
    """Activities in the ten practice domains (结对共建文明实践活动) in a region and period; with
    no actor, every row of the region (for the figures)."""
    return int(_in_period(_in_region(ActivityDomain.objects, actor, region), period).count())


def civilisation_pairings(actor: Actor | None, region: Region, on: dt.date | None = None) -> int:
    """Pairings (结对共建) of the region's communities; with ``on``, those running that day."""
    qs = _in_region(Pairing.objects, actor, region)
    if on is not None:
        qs = qs.filter(starts_on__lte=on).exclude(ends_on__lt=on)
    return int(qs.count())


def parent_for(level: str, region: Region) -> PracticeSite | None:
    """The site a new one belongs under: a 所 under its district's centre, a 站 under its
    street's 所 (None for a centre, or when that parent is not set up yet)."""
    if level not in PARENT_LEVEL or region.parent_id is None:
        return None
    return (PracticeSite.objects.unscoped(reason="structure: the parent level's site")
            .filter(region_id=region.parent_id, level=PARENT_LEVEL[PracticeLevel(level)])
            .first())


def activity_get(*, actor: Actor, activity_id: int) -> Activity:
    """A volunteer activity the actor may put in a practice domain (404 outside its scope)."""
    from wushe.volunteers.models import Activity

    return scope.get_or_404(Activity.objects, actor, VIEW, pk=activity_id)
