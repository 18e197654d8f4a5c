"""Project pages: the list with filters, the design form, the project page (timeline,
indicators, budget burn, tranches and payments, origin needs, other apps' panels), editing,
the demand-menu picker, and the moves that need only a note."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied, WusheError
from wushe.projects import access, forms, hooks, selectors, services, workflow
from wushe.projects.groups import names_zh
from wushe.projects.models import ServiceProject, Status
from wushe.projects.views.common import DESIGN_LEVELS, action_page, region_by_code
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import regions_where
from wushe.web.pages import Submitted, paginate, render_page, submit


def _filters(form: forms.ProjectFilterForm) -> selectors.ProjectFilters:
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        region = region_by_code(d["region"])
        return selectors.ProjectFilters(
            year=int(d["year"]) if d["year"] else None, domain=d["domain"], status=d["status"],
            region_path=region.path if region else "",
            provider_id=int(d["provider"]) if d["provider"] else None, q=d["q"])
    return selectors.ProjectFilters()


@login_required
@never_cache
@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, access.VIEW):
        raise PermissionDenied()
    regions = regions_where(actor, access.VIEW, (RegionLevel.STREET, RegionLevel.COMMUNITY))
    providers = list(selectors.project_list(actor=actor).exclude(provider=None)
                     .order_by().values_list("provider_id", "provider__name").distinct()[:300])
    form = forms.ProjectFilterForm(request.GET or None, regions=regions,
                                   providers=sorted(providers, key=lambda p: p[1]))
    page = paginate(request, selectors.project_list(actor=actor, filters=_filters(form)))
    burn = selectors.budget_burn_many(list(page.object_list))
    rows = [(p, burn[p.pk]) for p in page.object_list]
    return render_page(request, "projects/list.html", {
        "form": form, "page": page, "rows": rows,
        "can_design": scope.has_perm(actor, access.DESIGN),
        "can_manage": scope.has_perm(actor, access.MANAGE),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, access.DESIGN):
        raise PermissionDenied()
    regions = regions_where(actor, access.DESIGN, DESIGN_LEVELS)
    form = forms.ProjectForm(request.POST or None, regions=regions,
                             initial={"year": timezone.localdate().year + 1})

    def call(d: dict[str, Any]) -> ServiceProject:
        region = region_by_code(d["region"])
        if region is None:
            raise PermissionDenied()
        return services.project_create(
            actor=actor, region=region, name=d["name"], domain=d["domain"], year=d["year"],
            budget=d["budget"], leveraged=d["leveraged"] or 0, summary=d["summary"],
            target_groups=d["target_groups"], indicators=d["indicators"])

    outcome = submit(form, call) if request.method == "POST" else Submitted(False)
    if outcome.done:
        messages.success(request, _("The project was designed. Now pick its origin needs."))
        return redirect("projects:needs", project_id=outcome.result.pk)
    return render_page(request, "projects/form.html", {
        "form": form, "title": _("Design a project"), "back": reverse("projects:list"),
    }, status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def project_edit(request: HttpRequest, project_id: int) -> HttpResponse:
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, (access.DESIGN, access.MANAGE), project)
    form = forms.ProjectForm(request.POST or None, editing=True, initial={
        "name": project.name, "domain": project.domain, "year": project.year,
        "target_groups": project.target_group_list, "budget": project.budget,
        "leveraged": project.leveraged, "summary": project.summary})
    if project.status not in workflow.EDITABLE:
        for name in ("name", "domain", "year", "target_groups", "budget"):
            form.fields[name].disabled = True
    back = reverse("projects:detail", args=[project.pk])

    def call(d: dict[str, Any]) -> ServiceProject:
        changed = {k: d[k] for k in form.changed_data if k in d}
        if "leveraged" in changed:
            changed["leveraged"] = changed["leveraged"] or 0
        return services.project_update(actor=actor, project=project, **changed)

    outcome = submit(form, call) if request.method == "POST" else Submitted(False)
    if outcome.done:
        messages.success(request, _("Saved."))
        return redirect(back)
    return render_page(request, "projects/form.html", {
        "form": form, "title": _("Edit %(name)s") % {"name": project.name}, "back": back,
        "project": project}, status=outcome.status)


def _panels(request: HttpRequest, project: ServiceProject) -> list[dict[str, Any]]:
    """Every registered panel (supervision, evaluation …) rendered with its own context."""
    out = []
    for panel in hooks.panels():
        ctx = panel.context(request, project)
        if ctx is None:
            continue
        html = render_to_string(panel.template, {"project": project, **ctx}, request=request)
        out.append({"key": panel.key, "html": mark_safe(html)})  # noqa: S308 — our templates
    return out


@login_required
@never_cache
@require_GET
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    tranches = selectors.project_tranches(project)
    for t in tranches:
        t.gate_state = selectors.gate_state(project, t)  # type: ignore[attr-defined]
    manage = scope.covers(actor, access.MANAGE, project.region_path)
    return render_page(request, "projects/detail.html", {
        "project": project, "groups": names_zh(project.target_groups),
        "events": selectors.project_events(project),
        "indicators": selectors.project_indicators(project),
        "burn": selectors.budget_burn(project),
        "contract": selectors.project_contract(project),
        "procurement": getattr(project, "procurement", None)
        if project.status not in workflow.EDITABLE else None,
        "tranches": tranches, "payments": selectors.project_payments(project),
        "needs": selectors.project_needs(actor=actor, project=project),
        "renewals": selectors.project_renewals(project),
        "panels": _panels(request, project),
        "can_design": scope.covers(actor, access.DESIGN, project.region_path),
        "can_manage": manage,
        "can_pay": scope.covers(actor, access.PAY, project.region_path),
        "editable": project.status in workflow.EDITABLE,
        "Status": Status,
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def project_needs(request: HttpRequest, project_id: int) -> HttpResponse:
    """Pick origin needs from the demand menu (category × target group × region × period)."""
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, access.DESIGN, project)
    regions = regions_where(actor, "needs.view", (RegionLevel.STREET, RegionLevel.COMMUNITY))
    regions = [r for r in regions if r.path.startswith(project.region_path)
               or project.region_path.startswith(r.path)]
    if request.method == "POST":
        try:
            added = services.project_needs_attach(
                actor=actor, project=project, need_ids=forms.pick_ids(request.POST.getlist("need")))
        except WusheError as exc:
            messages.error(request, exc.localized())
        else:
            messages.success(request, _("%(n)s needs attached.") % {"n": added})
        return redirect(f"{reverse('projects:needs', args=[project.pk])}?{request.GET.urlencode()}")
    today = timezone.localdate()
    form = forms.NeedPickForm(request.GET or None, regions=regions, initial={
        "start": today - dt.timedelta(days=365), "end": today})
    candidates: list[Any] = []
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        region = region_by_code(d["region"])
        candidates = selectors.need_candidates(
            actor=actor, start=d["start"], end=d["end"], category=d["category"],
            target_group=d["target_group"],
            region_path=region.path if region else project.region_path)
    attached = selectors.project_needs(actor=actor, project=project)
    return render_page(request, "projects/needs.html", {
        "project": project, "form": form, "candidates": candidates, "linked": attached["ids"],
        "attached": attached,
    }, status=400 if form.errors else 200)


@login_required
@require_POST
def project_need_detach(request: HttpRequest, project_id: int, need_id: int) -> HttpResponse:
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    services.project_need_detach(actor=actor, project=project, need_id=need_id)
    messages.success(request, _("The need was detached."))
    return redirect("projects:needs", project_id=project.pk)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def project_start(request: HttpRequest, project_id: int) -> HttpResponse:
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, access.MANAGE, project)
    back = reverse("projects:detail", args=[project.pk])
    return action_page(
        request, form=forms.NoteForm(request.POST or None),
        call=lambda d: services.project_start(actor=actor, project=project, note=d["note"]),
        title=_("Start the service: %(name)s") % {"name": project.name}, back=back,
        done=_("The project is in service."), submit_label=_("Start the service"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def indicator_add(request: HttpRequest, project_id: int) -> HttpResponse:
    actor = request.user
    project = selectors.project_get(actor=actor, project_id=project_id)
    access.require(actor, (access.DESIGN, access.MANAGE, "supervision.manage"), project)
    back = reverse("projects:detail", args=[project.pk])
    ind_id = request.GET.get("indicator")
    indicator = selectors.project_indicators(project).filter(pk=ind_id).first() \
        if ind_id and ind_id.isdigit() else None
    initial = ({"name": indicator.name, "unit": indicator.unit, "target": indicator.target,
                "achieved": indicator.achieved} if indicator else {})
    form = forms.IndicatorForm(request.POST or None, initial=initial)
    return action_page(
        request, form=form,
        call=lambda d: services.indicator_save(
            actor=actor, project=project, indicator=indicator,
            spec=services.IndicatorSpec(d["name"], d["unit"], d["target"], d["achieved"] or 0)),
        title=_("Output indicator of %(name)s") % {"name": project.name}, back=back,
        done=_("Saved."), submit_label=_("Save"))
