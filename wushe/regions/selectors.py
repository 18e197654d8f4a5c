"""Reads of the region tree and sites."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Count, QuerySet

from wushe.accounts import scope
from wushe.core.errors import ValidationFailed
from wushe.core.ids import region_code_text
from wushe.regions.models import Region, RegionRule, Site

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def region_list(*, actor: Actor, level: str = "", parent: Region | None = None) -> QuerySet[Region]:
    qs = scope.visible(Region.objects, actor, "regions.view")
    if level:
        qs = qs.filter(level=level)
    if parent is not None:
        qs = qs.filter(parent=parent)
    return qs.order_by("code")


def region_get(*, actor: Actor, code: str) -> Region:
    return scope.get_or_404(Region.objects.select_related("parent"), actor, "regions.view",
                            code=region_code_text(code))


def region_roots(*, actor: Actor) -> list[Region]:
    """Top-most regions the actor sees: where its tree page starts."""
    regions = list(region_list(actor=actor).filter(path__in=scope.paths(actor, "regions.view"))) \
        if not scope.is_superuser(actor) else list(region_list(actor=actor).filter(parent=None))
    return regions


def region_children(*, actor: Actor, region: Region) -> QuerySet[Region]:
    """Children with their own child and site counts, in one query."""
    return (region_list(actor=actor, parent=region)
            .annotate(n_children=Count("children", distinct=True),
                      n_sites=Count("sites", distinct=True)))


def region_breadcrumb(region: Region) -> list[Region]:
    """Ancestors by path prefix in one query. Names of ancestors are not scoped data."""
    paths = region.ancestor_paths()
    by_path = {r.path: r for r in Region.objects.unscoped(reason="reference: the region tree").filter(path__in=paths)
               .only("code", "name", "path", "level")}
    return [by_path[p] for p in paths if p in by_path]


def site_list(*, actor: Actor, region: Region | None = None, kind: str = "") -> QuerySet[Site]:
    qs = scope.visible(Site.objects, actor, "sites.view").select_related("region")
    if region is not None:
        qs = qs.filter(scope.subtree_q("region_path", region.path))
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("region_path", "kind", "name")


def site_get(*, actor: Actor, site_id: int) -> Site:
    return scope.get_or_404(Site.objects.select_related("region"), actor, "sites.view", pk=site_id)


def rule_overrides(*, actor: Actor) -> QuerySet[RegionRule]:
    """Overrides of local rules inside the actor's scope, nearest the district first."""
    return (scope.visible(RegionRule.objects, actor, "regions.view")
            .select_related("region").order_by("key", "region_path"))


def regions_where(actor: Actor, perm: str, levels: tuple[str, ...]) -> list[Region]:
    """Regions of these levels the actor holds ``perm`` over (the choices of a form)."""
    qs = region_list(actor=actor).filter(level__in=levels).only("code", "name", "level", "path")
    return [r for r in qs if scope.covers(actor, perm, r.path)]


def in_region(qs: QuerySet[Any], code: str, path_field: str = "region_path") -> QuerySet[Any]:
    """A filter by a region code typed in a form or query string (full-width digits allowed):
    rows of its subtree; an unknown code matches nothing, a malformed one is refused."""
    if not code:
        return qs
    code = region_code_text(code)
    if not code.isdigit():
        raise ValidationFailed("地区代码无效", "Invalid region code", field="region")
    path = Region.objects.unscoped(reason="reference: the region tree").filter(code=code).values_list("path", flat=True).first()
    return qs.filter(scope.subtree_q(path_field, path)) if path else qs.none()
