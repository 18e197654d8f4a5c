"""The demand menu page and its .xlsx export; the Excel import page of problem lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.audit import services as audit
from wushe.core.errors import NotFound, ValidationFailed, WusheError
from wushe.core.excel import MAX_IMPORT_BYTES, errors_bytes, run_import, template_bytes
from wushe.needs import menu, perms
from wushe.needs.audit_codes import NeedsAction
from wushe.needs.categories import NeedGroup, category_choices
from wushe.needs.views.common import filter_regions
from wushe.web.forms import FilterForm, PageForm, set_choices
from wushe.web.pages import add_service_error, render_page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


class ImportForm(PageForm):
    file = forms.FileField(label=gettext_lazy("Problem list (.xlsx)"))
    dry_run = forms.BooleanField(label=gettext_lazy("Check only (write nothing)"), required=False,
                                 initial=True)
    valid_only = forms.BooleanField(
        label=gettext_lazy("Import the valid rows even if some rows have errors"), required=False)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def need_import(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.NEED_IMPORT):
        raise NotFound()
    if request.GET.get("template"):
        response = HttpResponse(template_bytes("needs"), content_type=XLSX)
        response["Content-Disposition"] = 'attachment; filename="needs-template.xlsx"'
        return response
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                if upload.size > MAX_IMPORT_BYTES:
                    raise ValidationFailed("文件过大", "The file is too large", field="file")
                result = run_import("needs", upload, actor=actor,
                                    dry_run=form.cleaned_data["dry_run"],
                                    valid_only=form.cleaned_data["valid_only"])
                status = 200 if result.ok or result.imported else 400
                if request.POST.get("errors") and result.errors:
                    response = HttpResponse(errors_bytes(result), content_type=XLSX)
                    response["Content-Disposition"] = 'attachment; filename="needs-errors.xlsx"'
                    return response
            except WusheError as exc:
                add_service_error(form, exc)
                status = exc.status
    return render_page(request, "needs/import.html", {"form": form, "result": result},
                       status=status)
