"""Worker roster import pages (kinds "social-workers" and "community-workers"): the shared
page, with a progress bar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.web import imports

KINDS = {"social-workers": "workforce:social_workers",
         "community-workers": "workforce:community_workers"}


def _kind(kind: str) -> str:
    if kind not in KINDS:
        raise Http404
    return kind


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def worker_import(request: HttpRequest, kind: str) -> HttpResponse:
    kind = _kind(kind)
    return imports.import_page(request, kind=kind, back=reverse(KINDS[kind]),
                               template_url=reverse("workforce:import_template", args=[kind]))


@login_required
@require_GET
def worker_import_template(request: HttpRequest, kind: str) -> HttpResponse:
    return imports.import_template(request, _kind(kind))
