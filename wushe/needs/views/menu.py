"""The demand menu page and its .xlsx export; the Excel import page of problem lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.audit import recorder as audit
from wushe.core.errors import NotFound, WusheError
from wushe.needs import menu, perms
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.categories import NeedGroup, category_choices
from wushe.needs.views.common import filter_regions
from wushe.web import imports
from wushe.web.forms import FilterForm, set_choices
from wushe.web.pages import XLSX, add_service_error, render_page


class MenuForm(FilterForm):
    start = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=gettext_lazy("To"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}))
    by = forms.ChoiceField(label=gettext_lazy("By"), required=False, choices=[
        ("community", gettext_lazy("Community")), ("street", gettext_lazy("Street"))])
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    target_group = forms.ChoiceField(label=gettext_lazy("Target group"), required=False)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", regions)
        set_choices(self, "category", [("", _("Any")), *category_choices()])
        set_choices(self, "target_group", [("", _("Any")), *NeedGroup.choices])

    def query(self) -> menu.MenuQuery:
        default = menu.default_query()
        d = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return menu.MenuQuery(start=d.get("start") or default.start,
                              end=d.get("end") or default.end, by=d.get("by") or "community",
                              region_code=d.get("region", ""), category=d.get("category", ""),
                              target_group=d.get("target_group", ""))


@login_required
@never_cache
@require_GET
def demand_menu(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.NEED_MENU):
        raise NotFound()
    form = MenuForm(request.GET or None, regions=filter_regions(actor))
    query = form.query()
    rows: list[dict[str, Any]] = []
    status = 400 if form.errors else 200
    try:
        rows = menu.demand_menu(actor=actor, query=query)
    except WusheError as exc:
        if isinstance(exc, NotFound):
            raise
        add_service_error(form, exc)
        status = exc.status
    if request.GET.get("format") == "xlsx" and status == 200:
        content = menu.menu_xlsx(rows, query)
        with transaction.atomic():
            audit.record(actor=actor, action=NeedsAction.NEED_MENU_EXPORTED,
                         region_path=(scope.paths(actor, perms.NEED_MENU) or [""])[0],
                         data={"start": query.start.isoformat(), "end": query.end.isoformat(),
                               "by": query.by, "rows": len(rows)})
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = (
            f'attachment; filename="demand-menu-{query.start:%Y%m%d}-{query.end:%Y%m%d}.xlsx"')
        return response
    return render_page(request, "needs/menu.html", {
        "form": form, "rows": rows, "query": query, "totals": menu.menu_totals(rows),
        "export_query": request.GET.urlencode(),
    }, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def need_import(request: HttpRequest) -> HttpResponse:
    """Offline problem lists (问题清单): the shared import page, run as a job."""
    if request.GET.get("template"):
        return imports.import_template(request, "needs")
    return imports.import_page(
        request, kind="needs", back=reverse("needs:queue"),
        template_url=reverse("needs:import") + "?template=1",
        intro=_("Offline problem lists (问题清单) collected by the community: one row per need."))
