"""The organisation list import page (kind "orgs")."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.orgs.access import MANAGE
from wushe.orgs.views.common import import_errors, import_page, import_template


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def org_import(request: HttpRequest) -> HttpResponse:
    return import_page(request, kind="orgs", perm=MANAGE, back=reverse("orgs:list"),
                       template_url=reverse("orgs:import_template"),
                       errors_url=reverse("orgs:import_errors"))


@login_required
@require_GET
def org_import_template(request: HttpRequest) -> HttpResponse:
    return import_template("orgs")


@login_required
@require_GET
def org_import_errors(request: HttpRequest) -> HttpResponse:
    return import_errors(request, "orgs")
