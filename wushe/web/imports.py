"""The import page every importer shares, and the job page with its progress bar.

An app's import view checks nothing itself: the importer's ``check_permission`` refuses an
actor who may not import (NotFound, as for a page that does not exist), both here and in the
pipeline. The upload runs as a job (core/importjobs.py); the job page polls its progress and
then shows which sheet column went to which field, the result, the first row errors and
notices, and the error report to download. When a required column is not recognised the job
page offers to map the columns by hand; the mapping is remembered per importer and account.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from wushe.core import importjobs
from wushe.core.excel import IMPORTERS, template_bytes
from wushe.web import mappings
from wushe.web.forms import ColumnMapForm, ImportForm
from wushe.web.pages import Submitted, render_page, submit, xlsx_response


def import_page(request: HttpRequest, *, kind: str, back: str, template_url: str,
                intro: str = "", extra_template: str = "",
                extra: dict[str, object] | None = None) -> HttpResponse:
    """Upload a workbook for ``kind``; a valid upload starts a job and goes to its page.

    ``extra_template`` (with ``extra`` context) adds an app's own notes beside the form."""
    importer = IMPORTERS[kind](request.user)  # an instance: templates would call a class
    importer.check_permission()
    if request.method == "POST" and "forget_mapping" in request.POST:
        mappings.mapping_forget(actor=request.user, kind=kind)
        return redirect(request.path)
    form = ImportForm(request.POST or None, request.FILES or None)
    remembered = mappings.remembered(actor=request.user, kind=kind)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: importjobs.job_start(
            actor=request.user, kind=kind, upload=d["file"], dry_run=d["dry_run"],
            valid_only=d["valid_only"], back=request.path, mapping=remembered))
        if outcome.done:
            return redirect("web:import_job", job_id=outcome.result)
    labels = {c.key: c for c in importer.columns}
    return render_page(request, "web/import.html", {
        "form": form, "importer": importer, "back": back, "template_url": template_url,
        "intro": intro, "extra_template": extra_template,
        "remembered": [(labels[k], h) for k, h in remembered.items() if k in labels],
        **(extra or {})}, status=outcome.status)


def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The kind's template workbook, for those who may import it."""
    IMPORTERS[kind](request.user).check_permission()
    return xlsx_response(template_bytes(kind), f"{kind}-template")


@login_required
@never_cache
@require_GET
def import_job(request: HttpRequest, job_id: str) -> HttpResponse:
    """The job page; htmx polls it for the progress fragment until the job is done."""
    state = importjobs.job_state(actor=request.user, job_id=job_id)
    return render_page(request, "web/import_job.html", {
        "job": state, "map_form": _map_form(state) if state["status"] == "mapping" else None},
        partial="progress")


def _map_form(state: dict[str, Any], data: object = None) -> ColumnMapForm:
    """The mapping form of a waiting job, pre-filled with what was recognised and chosen."""
    importer = IMPORTERS[str(state["importing"])]
    merged: dict[str, str] = {**(state.get("recognised") or {}), **(state.get("mapping") or {})}
    return ColumnMapForm(data, columns=importer.columns,
                         initial={f"f_{k}": h for k, h in merged.items()},
                         headers=[(str(h), str(label)) for h, label in state["headers"]],
                         lang=(get_language() or "zh")[:2])


@login_required
@require_POST
def import_map(request: HttpRequest, job_id: str) -> HttpResponse:
    """Run a job that waits for its columns with the user's mapping (and remember it)."""
    state = importjobs.job_state(actor=request.user, job_id=job_id)
    if state["status"] != "mapping":
        return redirect("web:import_job", job_id=job_id)
    form = _map_form(state, request.POST)
    kind = str(state["importing"])

    def run(d: dict[str, object]) -> None:
        importjobs.job_map(actor=request.user, job_id=job_id, mapping=form.mapping())
        if d.get("remember"):
            mappings.mapping_remember(actor=request.user, kind=kind, mapping=form.mapping())

    outcome = submit(form, run)
    if outcome.done:
        return redirect("web:import_job", job_id=job_id)
    return render_page(request, "web/import_job.html", {"job": state, "map_form": form},
                       status=outcome.status)


@login_required
@require_POST
def import_retry(request: HttpRequest, job_id: str) -> HttpResponse:
    """Run an interrupted import again from its kept upload."""
    importjobs.job_retry(actor=request.user, job_id=job_id)
    return redirect("web:import_job", job_id=job_id)


@login_required
@require_GET
def import_errors(request: HttpRequest, job_id: str) -> HttpResponse:
    content, kind = importjobs.errors_file(actor=request.user, job_id=job_id)
    return xlsx_response(content, f"{kind}-errors")

