"""The organisation list import page (kind "orgs"): the shared page, with a progress bar."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.web import imports


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def org_import(request: HttpRequest) -> HttpResponse:
    return imports.import_page(request, kind="orgs", back=reverse("orgs:list"),
                               template_url=reverse("orgs:import_template"))


@login_required
@require_GET
def org_import_template(request: HttpRequest) -> HttpResponse:
    return imports.import_template(request, "orgs")
