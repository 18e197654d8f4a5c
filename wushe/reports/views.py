"""Pages of the reports app: the cockpit, the big screen, the KPI export, the annual report
(preview, downloads, and a generation job with a progress bar), and an empty endpoint for
the benchmark's baseline. Thin: selectors and the report modules do the work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.dbrouter import replica_reads
from wushe.regions.models import Region
from wushe.reports import charts, exporters, jobs_annual, rollup, selectors
from wushe.reports.annual import FORMATS, build_document, render
from wushe.reports.kpis import KPIS, history
from wushe.web.pages import render_page, xlsx_response


def _picked(request: HttpRequest, perm: str = selectors.VIEW) -> tuple[Region, int]:
    region = selectors.report_region(actor=request.user, code=request.GET.get("region"),
                                     perm=perm)
    return region, selectors.report_year(request.GET.get("year"))


def _context(request: HttpRequest) -> dict[str, object]:
    region, year = _picked(request)
    run = rollup.last_run()  # once: the "data as of" time and the years it holds
    data = charts.cockpit(region, year, run)
    return {"region": region, "year": year, "data": data,
            "as_of": timezone.localtime(run.finished_at) if run else None,
            "regions": selectors.region_options(actor=request.user,
                                                selected=region.code),
            "years": selectors.year_choices(run),
            "can_export": scope.covers(request.user, selectors.EXPORT,
                                       region.path),
            "definitions": [KPIS[h["key"]] for h in [*data["headline"], *data["figures"]]],
            # Cumulative figures that include an opening balance, and which part is which.
            "openings": history.openings().lines(region.path, "en" if data.get("lang") == "en"
                                                 else "zh")}


@login_required
@require_GET
@replica_reads  # read-only: from the standby when configured (core/dbrouter.py)
def cockpit(request: HttpRequest) -> HttpResponse:
    """驾驶舱: headline figures and charts of one region and year, from the rollups."""
    return render_page(request, "reports/cockpit.html", _context(request))


@login_required
@require_GET
@replica_reads
def screen(request: HttpRequest) -> HttpResponse:
    """The 1920×1080 big-screen mode: the same data, dark and full-screen."""
    return render_page(request, "reports/screen.html", _context(request))


@login_required
@require_GET
@replica_reads
def export(request: HttpRequest) -> HttpResponse:
    region, year = _picked(request, selectors.EXPORT)
    return xlsx_response(exporters.kpi_workbook(region=region, year=year),
                         f"kpi-{region.code}-{year}")


@login_required
@require_GET
@replica_reads
def annual(request: HttpRequest) -> HttpResponse:
    """Pick a year and a region; preview the report; start a generation job."""
    region, year = _picked(request, selectors.EXPORT)
    lang = request.GET.get("lang") or charts.lang_code()
    lang = "en" if lang == "en" else "zh"
    preview = None
    if request.GET.get("preview"):
        preview = render.html_fragment(build_document(region, year, lang))
    return render_page(request, "reports/annual.html", {
        "region": region, "year": year, "lang": lang, "preview": preview,
        "regions": selectors.region_options(actor=request.user, selected=region.code,
                                            perm=selectors.EXPORT),
        "years": selectors.year_choices(rollup.last_run()), "formats": FORMATS})


@login_required
@require_http_methods(["POST"])
def annual_start(request: HttpRequest) -> HttpResponse:
    region = selectors.report_region(actor=request.user, code=request.POST.get("region"),
                                     perm=selectors.EXPORT)
    year = selectors.report_year(request.POST.get("year"))
    lang = "en" if request.POST.get("lang") == "en" else "zh"
    job_id = jobs_annual.job_start(actor=request.user, region=region, year=year, lang=lang)
    return redirect("reports:annual_job", job_id=job_id)


@login_required
@never_cache
@require_GET
def annual_job(request: HttpRequest, job_id: str) -> HttpResponse:
    state = jobs_annual.job_state(actor=request.user, job_id=job_id)
    return render_page(request, "reports/annual_job.html", {"job": state}, partial="progress")


@login_required
@require_http_methods(["POST"])
def annual_retry(request: HttpRequest, job_id: str) -> HttpResponse:
    """Write an interrupted report again."""
    jobs_annual.job_retry(actor=request.user, job_id=job_id)
    return redirect("reports:annual_job", job_id=job_id)


@login_required
@require_GET
def annual_file(request: HttpRequest, job_id: str, fmt: str) -> FileResponse:
    path, name = jobs_annual.job_file(actor=request.user, job_id=job_id, fmt=fmt)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name,
                        content_type=FORMATS.get(fmt, "application/octet-stream"))


@require_GET
def ping(request: HttpRequest) -> HttpResponse:
    """An empty endpoint: the baseline the intake benchmark compares with (no session, no
    database, no template)."""
    return HttpResponse(status=204)
