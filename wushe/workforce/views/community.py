"""Community worker pages (the ladder, appraisals) and the staffing standard page."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.errors import WusheError
from wushe.orgs.views.common import action_page, filter_regions
from wushe.regions.selectors import region_get
from wushe.web.pages import (
    breadcrumb,
    render_page,
    xlsx_response,
)
from wushe.workforce import exporters, forms, selectors, services
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import CommunityWorker
from wushe.workforce.views.common import (
    MANAGE,
    VIEW,
    communities,
    edit_page,
    managed_worker,
    region_or_none,
    register_page,
    require_perm,
    residences,
    valid_filters,
    worker_list_page,
    worker_url,
)

DETAIL = "workforce:community_worker"


def _filters(form: forms.CommunityWorkerFilterForm) -> selectors.CommunityWorkerFilters:
    if (d := valid_filters(form)) is not None:
        return selectors.CommunityWorkerFilters(q=d["q"], post=d["post"], status=d["status"],
                                                region_code=d["region"])
    return selectors.CommunityWorkerFilters()


@login_required
@never_cache
@require_GET
def community_worker_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require_perm(actor, VIEW)
    ladder = ladder_for()
    form = forms.CommunityWorkerFilterForm(request.GET or None, regions=filter_regions(actor),
                                           ladder=ladder)
    return worker_list_page(
        request, form, lambda: selectors.community_worker_page(
            actor=actor, filters=_filters(form), number=request.GET.get("page")),
        "workforce/community_workers.html",
        {"tab": "community", "ladder": ladder, "posts": {p.number: p.name for p in ladder.posts}})


@login_required
@require_GET
def community_worker_export(request: HttpRequest) -> HttpResponse:
    form = forms.CommunityWorkerFilterForm(request.GET or None,
                                           regions=filter_regions(request.user),
                                           ladder=ladder_for())
    return xlsx_response(exporters.community_workers_export(actor=request.user,
                                                            filters=_filters(form)),
                         "community-workers")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def community_worker_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    require_perm(actor, MANAGE)
    form = forms.CommunityWorkerForm(request.POST or None, ladder=ladder_for(),
                                     residences=residences(actor),
                                     communities=communities(actor),
                                     initial={"community": request.GET.get("community", "")})

    def call(d: dict[str, Any]) -> CommunityWorker:
        return services.community_worker_register(
            actor=actor, id_number=d["id_number"], name=d["name"], phone=d["phone"],
            residence=region_or_none(actor, d["residence"]),
            community=region_get(actor=actor, code=d["community"]), post=d["post"],
            grade=d["grade"], education=d["education"], hired_on=d["hired_on"],
            status=d["status"])

    return register_page(request, form, call, detail=DETAIL,
                         title=_("Register a community worker"), tab="community",
                         back=reverse("workforce:community_workers"))


@login_required
@never_cache
@require_GET
def community_worker_detail(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = request.user
    worker = selectors.community_worker_get(actor=actor, worker_id=worker_id)
    appraisals = list(selectors.appraisal_list(actor=actor, worker=worker))
    ladder = ladder_for(worker.region_path)
    try:
        post = ladder.post(worker.post)
        suggested = ladder.suggested_grade(post_number=worker.post, education=worker.education,
                                           hired_on=worker.hired_on,
                                           appraisals=[a.result for a in appraisals])
    except WusheError:  # the ladder changed under a recorded post: show the record as it is
        post, suggested = None, None
    return render_page(request, "workforce/community_worker.html", {
        "w": worker, "tab": "community", "breadcrumb": breadcrumb(actor, worker.community),
        "appraisals": appraisals, "post": post, "suggested": suggested, "ladder": ladder,
        "can_manage": scope.covers(actor, MANAGE, worker.region_path),
    })


def _worker(request: HttpRequest, worker_id: int) -> CommunityWorker:
    return managed_worker(request, selectors.community_worker_get, worker_id)


def _back(worker: CommunityWorker) -> str:
    return worker_url(DETAIL, worker)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def community_worker_edit(request: HttpRequest, worker_id: int) -> HttpResponse:
    actor = request.user
    worker = _worker(request, worker_id)
    form = forms.CommunityWorkerUpdateForm(
        request.POST or None, communities=communities(actor),
        initial={"community": worker.community.code, "education": worker.education,
                 "hired_on": worker.hired_on, "status": worker.status,
                 "engagement": worker.engagement, "elected_role": worker.elected_role,
                 "term_start": worker.term_start, "term_end": worker.term_end,
                 "account": worker.account.username if worker.account else ""})
    return edit_page(
        request, worker, form, _back(worker),
        lambda d: services.community_worker_update(
            actor=actor, worker=worker, community=region_get(actor=actor, code=d["community"]),
            education=d["education"], hired_on=d["hired_on"], status=d["status"],
            engagement=d["engagement"], elected_role=d["elected_role"],
            term_start=d["term_start"], term_end=d["term_end"], account=d["account"]))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def community_worker_regrade(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _worker(request, worker_id)
    form = forms.RegradeForm(request.POST or None, ladder=ladder_for(worker.region_path),
                             initial={"post": str(worker.post), "grade": worker.grade})
    return action_page(
        request, form=form, back=_back(worker),
        call=lambda d: services.community_worker_regrade(actor=request.user, worker=worker, **d),
        title=_("Change the post or grade of %(name)s") % {"name": worker.person.masked_name},
        done=_("The post and grade have been changed."), submit_label=_("Save"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def appraisal_add(request: HttpRequest, worker_id: int) -> HttpResponse:
    worker = _worker(request, worker_id)
    return action_page(
        request, form=forms.AppraisalForm(request.POST or None), back=_back(worker),
        call=lambda d: services.appraisal_record(actor=request.user, worker=worker, **d),
        title=_("Record the appraisal of %(name)s") % {"name": worker.person.masked_name},
        done=_("The appraisal has been recorded."), submit_label=_("Record"))


# --- staffing standard ----------------------------------------------------------------------

def _staffing_region(request: HttpRequest, form: forms.StaffingFilterForm) -> Any:
    if form.is_bound and form.is_valid() and form.cleaned_data["street"]:
        return region_get(actor=request.user, code=form.cleaned_data["street"])
    return None


@login_required
@never_cache
@require_GET
def staffing(request: HttpRequest) -> HttpResponse:
    """Required vs actual community workers for every community in scope, by street."""
    actor = request.user
    require_perm(actor, VIEW)
    form = forms.StaffingFilterForm(request.GET or None,
                                    streets=selectors.staffing_streets(actor=actor))
    region = _staffing_region(request, form)
    report = selectors.staffing_report(actor=actor, region=region)
    short_only = bool(form.is_bound and form.is_valid() and form.cleaned_data["short"])
    rows = report.shortfall_rows if short_only else report.rows
    return render_page(request, "workforce/staffing.html", {
        "form": form, "report": report, "rows": rows, "streets": report.streets,
        "region": region,
        "tab": "staffing", "export_query": request.GET.urlencode(),
        "chart": {"streets": [s.name for s in report.streets],
                  "required": [s.required for s in report.streets],
                  "actual": [s.actual for s in report.streets],
                  "labels": [_("Required"), _("In post")]},
    }, partial="results", status=400 if form.errors else 200)


@login_required
@require_GET
def staffing_export(request: HttpRequest) -> HttpResponse:
    form = forms.StaffingFilterForm(request.GET or None,
                                    streets=selectors.staffing_streets(actor=request.user))
    return xlsx_response(exporters.staffing_export(actor=request.user,
                                                   region=_staffing_region(request, form)),
                         "staffing")
