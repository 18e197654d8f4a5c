"""Worker roster import pages (kinds "social-workers" and "community-workers")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.orgs.views.common import import_errors, import_page, import_template
from wushe.workforce.views.common import MANAGE

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
    return import_page(request, kind=kind, perm=MANAGE, back=reverse(KINDS[kind]),
                       template_url=reverse("workforce:import_template", args=[kind]),
                       errors_url=reverse("workforce:import_errors", args=[kind]))


@login_required
@require_GET
def worker_import_template(request: HttpRequest, kind: str) -> HttpResponse:
    return import_template(_kind(kind))


@login_required
@require_GET
def worker_import_errors(request: HttpRequest, kind: str) -> HttpResponse:
    return import_errors(request, _kind(kind))
