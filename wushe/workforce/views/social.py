"""Social worker pages: list and export, register, detail with training by year, edit,
training records, and the yearly training totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.errors import WusheError
from wushe.orgs.selectors import employer_by_code
from wushe.orgs.views.common import action_page, filter_regions
from wushe.web.pages import (
    add_service_error,
    breadcrumb,
    paginate,
    render_page,
    xlsx_response,
)
from wushe.workforce import exporters, forms, selectors, services
from wushe.workforce.models import SocialWorker
from wushe.workforce.views.common import (
    MANAGE,
    VIEW,
    edit_page,
    managed_worker,
    placement_sites,
    region_or_none,
    register_page,
    require_perm,
    residences,
    site_or_none,
    valid_filters,
    work_regions,
    worker_list_page,
    worker_url,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

DETAIL = "workforce:social_worker"


def _filters(form: forms.SocialWorkerFilterForm) -> selectors.SocialWorkerFilters:
    if (d := valid_filters(form)) is not None:
        return selectors.SocialWorkerFilters(q=d["q"], level=d["level"], status=d["status"],
                                             placed=d["placed"], region_code=d["region"])
    return selectors.SocialWorkerFilters()


@login_required
@never_cache
@require_GET
def social_worker_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require_perm(actor, VIEW)
    form = forms.SocialWorkerFilterForm(request.GET or None, regions=filter_regions(actor))
    return worker_list_page(
        request, form, lambda: selectors.social_worker_page(
            actor=actor, filters=_filters(form), number=request.GET.get("page")),
        "workforce/social_workers.html", {"tab": "social"})


@login_required
@require_GET
def social_worker_export(request: HttpRequest) -> HttpResponse:
    form = forms.SocialWorkerFilterForm(request.GET or None, regions=filter_regions(request.user))
    return xlsx_response(exporters.social_workers_export(actor=request.user,
                                                         filters=_filters(form)),
                         "social-workers")


def _values(actor: Actor, d: dict[str, Any]) -> dict[str, Any]:
    return {"certificate_level": d["certificate_level"],
            "certificate_number": d["certificate_number"], "certified_on": d["certified_on"],
            "hired_on": d["hired_on"], "status": d["status"],
            "employer": employer_by_code(actor=actor, code=d["employer"]) if d["employer"]
            else None}


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def social_worker_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require_perm(actor, MANAGE)
    sites = placement_sites(actor)
    form = forms.SocialWorkerForm(request.POST or None, residences=residences(actor),
                                  regions=work_regions(actor), sites=sites)

    def call(d: dict[str, Any]) -> SocialWorker:
        return services.social_worker_register(
            actor=actor, id_number=d["id_number"], name=d["name"], phone=d["phone"],
            residence=region_or_none(actor, d["residence"]),
            region=region_or_none(actor, d["region"]), site=site_or_none(sites, d["site"]),
            **_values(actor, d))

    return register_page(request, form, call, detail=DETAIL,
                         title=_("Register a social worker"), tab="social",
                         back=reverse("workforce:social_workers"))


@login_required
@never_cache
@require_GET
def social_worker_detail(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = request.user
    worker = selectors.social_worker_get(actor=actor, worker_id=worker_id)
    return render_page(request, "workforce/social_worker.html", {
        "w": worker, "tab": "social", "breadcrumb": breadcrumb(actor, worker.region),
        "trainings": list(selectors.training_list(actor=actor, worker=worker)),
        "years": selectors.training_by_year(actor=actor, worker=worker),
        "can_manage": scope.covers(actor, MANAGE, worker.region_path),
    })


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def social_worker_edit(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = request.user
    worker = managed_worker(request, selectors.social_worker_get, worker_id)
    sites = placement_sites(actor)
    form = forms.SocialWorkerEditForm(request.POST or None, regions=work_regions(actor),
                                      sites=sites, initial={
        "region": worker.region.code, "site": str(worker.site_id or ""),
        "employer": (worker.employer.credit_code or worker.employer.filing_number)
        if worker.employer else "",
        "certificate_level": worker.certificate_level,
        "certificate_number": worker.certificate_number, "certified_on": worker.certified_on,
        "hired_on": worker.hired_on, "status": worker.status})
    return edit_page(
        request, worker, form, worker_url(DETAIL, worker),
        lambda d: services.social_worker_update(
            actor=actor, worker=worker, region=region_or_none(actor, d["region"]),
            site=site_or_none(sites, d["site"]), **_values(actor, d)))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def training_add(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = request.user
    worker = managed_worker(request, selectors.social_worker_get, worker_id)
    return action_page(
        request, form=forms.TrainingForm(request.POST or None),
        back=worker_url(DETAIL, worker) + "#training",
        call=lambda d: services.training_record(actor=actor, worker=worker, **d),
        title=_("Record training of %(name)s") % {"name": worker.person.masked_name},
        done=_("The training has been recorded."), submit_label=_("Record"))


@login_required
@never_cache
@require_GET
def training_totals(request: HttpRequest) -> HttpResponse:
    """Hours of every worker in post for one year, against the yearly minimum."""
    actor = request.user
    require_perm(actor, VIEW)
    form = forms.TrainingFilterForm(request.GET or None, regions=filter_regions(actor))
    year, region_code, below = dt.date.today().year, "", False
    if (d := valid_filters(form)) is not None:
        year = d["year"] or year
        region_code, below = d["region"], d["below"]
    status = 400 if form.errors else 200
    try:
        qs: Any
        qs, minimum = selectors.training_totals(actor=actor, year=year, region_code=region_code,
                                                below_only=below)
    except WusheError as exc:
        add_service_error(form, exc)
        qs, minimum, status = [], Decimal(0), exc.status
    return render_page(request, "workforce/training.html", {
        "form": form, "page": paginate(request, qs), "year": year, "minimum": minimum,
        "tab": "training",
    }, partial="results", status=status)
