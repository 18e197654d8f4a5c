"""Region tree, region detail with coverage, region edit, and the sites pages. Thin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied
from wushe.core.figures import STATS
from wushe.regions import selectors, services
from wushe.regions.coverage import coverage
from wushe.regions.models import Region, RegionLevel, SiteKind
from wushe.web.forms import FilterForm, PageForm, set_choices
from wushe.web.pages import Submitted, breadcrumb, paginate, render_page, submit

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

SITES_ON_DETAIL = 20


def _actor(request: HttpRequest) -> Any:
    return request.user


# --- tree -----------------------------------------------------------------------------------

@login_required
@require_GET
def tree(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    roots = selectors.region_roots(actor=actor)
    nodes = [{"region": r, "children": list(selectors.region_children(actor=actor, region=r))}
             for r in roots]
    return render_page(request, "regions/tree.html", {"nodes": nodes})


@login_required
@require_GET
def children(request: HttpRequest, code: str) -> HttpResponse:
    """The children of one region: a fragment for htmx, the detail page otherwise."""
    actor = _actor(request)
    region = selectors.region_get(actor=actor, code=code)
    if not getattr(request, "htmx", False):
        return redirect("regions:detail", code=region.code)
    kids = list(selectors.region_children(actor=actor, region=region))
    return render_page(request, "regions/tree.html", {"region": region, "children": kids},
                       partial="children")


# --- detail and edit ------------------------------------------------------------------------

def _figures(region: Region) -> list[dict[str, Any]]:
    raw = STATS["regions"](region.path)
    sites = sum(raw.get(f"sites.{k}", 0) for k in SiteKind.values)
    figures = []
    if region.level == RegionLevel.DISTRICT:
        figures.append({"label": _("Streets"), "value": raw["regions.streets"]})
    if region.level in (RegionLevel.DISTRICT, RegionLevel.STREET):
        figures.append({"label": _("Communities"), "value": raw["regions.communities"]})
        figures.append({"label": _("Population of its communities"),
                        "value": raw["regions.population"]})
    figures.append({"label": _("Active sites"), "value": sites})
    return figures


@login_required
@require_GET
def detail(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    region = selectors.region_get(actor=actor, code=code)
    sites_qs = selectors.site_list(actor=actor, region=region)
    results = [r for r in coverage(actor=actor, region=region) if r.total]
    return render_page(request, "regions/detail.html", {
        "region": region,
        "breadcrumb": breadcrumb(actor, region),
        "children": list(selectors.region_children(actor=actor, region=region)),
        "sites": list(sites_qs[:SITES_ON_DETAIL]),
        "sites_total": sites_qs.count(),
        "coverage": results,
        "figures": _figures(region),
        "can_edit": scope.covers(actor, "regions.manage", region.path),
        "can_add_site": scope.covers(actor, "sites.manage", region.path),
    })


class RegionForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=60)
    population = forms.CharField(label=gettext_lazy("Permanent population"), max_length=12,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    households = forms.CharField(label=gettext_lazy("Households"), max_length=12,
                                 widget=forms.TextInput(attrs={"inputmode": "numeric"}))


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, code: str) -> HttpResponse:
    actor = _actor(request)
    region = selectors.region_get(actor=actor, code=code)
    scope.require(actor, "regions.manage", region, view_perm="regions.view")
    form = RegionForm(request.POST or None, initial={
        "name": region.name, "population": region.population, "households": region.households})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.region_update(actor=actor, region=region, **d))
        if outcome.done:
            messages.success(request, _("The region has been updated."))
            return redirect("regions:detail", code=region.code)
        region.refresh_from_db()  # the refused change must not show as saved
    status = outcome.status
    return render_page(request, "regions/edit.html", {
        "region": region, "form": form, "breadcrumb": breadcrumb(actor, region),
    }, status=status)


# --- sites ----------------------------------------------------------------------------------

def _kind_choices(blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *SiteKind.choices]


class SiteFilterForm(FilterForm):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), required=False)
    region = forms.CharField(label=gettext_lazy("Region code"), required=False, max_length=15,
                             widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "kind", _kind_choices(_("All kinds")))

    def clean_region(self) -> str:
        code = self.cleaned_data["region"].strip()
        if code and not code.isdigit():
            raise forms.ValidationError(_("A region code has only digits."))
        return code


@login_required
@require_GET
def site_list(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    form = SiteFilterForm(request.GET or None)
    kind = region_code = ""
    if form.is_bound and form.is_valid():
        kind = form.cleaned_data["kind"]
        region_code = form.cleaned_data["region"]
    region = selectors.region_get(actor=actor, code=region_code) if region_code else None
    page = paginate(request, selectors.site_list(actor=actor, region=region, kind=kind))
    return render_page(request, "regions/sites.html", {
        "form": form, "page": page, "region": region,
        "can_add_site": scope.has_perm(actor, "sites.manage"),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@require_GET
def site_detail(request: HttpRequest, site_id: int) -> HttpResponse:
    actor = _actor(request)
    site = selectors.site_get(actor=actor, site_id=site_id)
    return render_page(request, "regions/site_detail.html", {
        "site": site, "breadcrumb": breadcrumb(actor, site.region),
        "can_edit": scope.covers(actor, "sites.manage", site.region_path),
    })


class SiteForm(PageForm):
    region = forms.ChoiceField(label=gettext_lazy("Region"))
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=SiteKind.choices)
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)
    opened_on = forms.DateField(label=gettext_lazy("Opened on"), required=False,
                                widget=forms.DateInput(attrs={"type": "date"}))
    area_m2 = forms.IntegerField(label=gettext_lazy("Floor area (m²)"), required=False,
                                 min_value=0, max_value=1_000_000)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", [
            (r.code, f"{'　' * ['district', 'street', 'community'].index(r.level)}{r.name}")
            for r in regions
        ])
        self.fields["kind"].help_text = _(
            "Social-work sites sit at their tier: the centre in the district, a station in a "
            "street, a room in a community.")


def _site_regions(actor: Actor) -> list[Region]:
    """Regions where the actor may add a site (grids hold no sites)."""
    levels = (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY)
    return [r for r in selectors.region_list(actor=actor).filter(level__in=levels)
            if scope.covers(actor, "sites.manage", r.path)]


@login_required
@require_http_methods(["GET", "POST"])
def site_create(request: HttpRequest) -> HttpResponse:
    actor = _actor(request)
    if not scope.has_perm(actor, "sites.manage"):
        raise PermissionDenied()
    regions = _site_regions(actor)
    form = SiteForm(request.POST or None, initial={"region": request.GET.get("region", "")},
                    regions=regions)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.site_create(
            actor=actor, region=selectors.region_get(actor=actor, code=d["region"]),
            kind=d["kind"], name=d["name"], address=d["address"], opened_on=d["opened_on"],
            area_m2=d["area_m2"]))
        if outcome.done:
            messages.success(request, _("The site has been added."))
            return redirect("regions:site_detail", site_id=outcome.result.pk)
    status = outcome.status
    return render_page(request, "regions/site_form.html", {"form": form}, status=status)


class SiteEditForm(PageForm):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)
    area_m2 = forms.IntegerField(label=gettext_lazy("Floor area (m²)"), required=False,
                                 min_value=1, max_value=1_000_000)
    active = forms.BooleanField(label=gettext_lazy("In operation"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, site_id: int) -> HttpResponse:
    actor = _actor(request)
    site = selectors.site_get(actor=actor, site_id=site_id)
    scope.require(actor, "sites.manage", site, view_perm="sites.view")
    form = SiteEditForm(request.POST or None, initial={
        "name": site.name, "address": site.address, "area_m2": site.area_m2,
        "active": site.active})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.site_update(actor=actor, site=site, **d))
        if outcome.done:
            messages.success(request, _("The site has been updated."))
            return redirect("regions:site_detail", site_id=site.pk)
    status = outcome.status
    return render_page(request, "regions/site_edit.html", {
        "site": site, "form": form, "breadcrumb": breadcrumb(actor, site.region),
    }, status=status)
