"""The audit log pages: events with filters, the xlsx export, personal-data accesses.

Only for actors holding audit.view somewhere; to anyone else the pages do not exist (404).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wushe.accounts import scope
from wushe.audit import selectors, services
from wushe.audit.codes import all_codes, families
from wushe.audit.display import describe
from wushe.audit.labels import family_label, label
from wushe.audit.selectors import AuditFilters
from wushe.core.errors import NotFound
from wushe.core.excel import XLSX
from wushe.web.forms import FilterForm, set_choices
from wushe.web.pages import paginate, render_page

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

FIELD_LABELS = {
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Address"),
}


def _require_audit(actor: Actor) -> None:
    if not scope.has_perm(actor, "audit.view"):
        raise NotFound()


class AuditFilterForm(FilterForm):
    family = forms.ChoiceField(label=gettext_lazy("Area"), required=False)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)
    actor = forms.CharField(label=gettext_lazy("User name"), required=False, max_length=150)
    since = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas = sorted(((f, family_label(f)) for f in families()), key=lambda c: c[1])
        set_choices(self, "family", [("", _("All")), *areas])
        # Grouped by business area, each action by its label (the code stays the value).
        groups: list[tuple[str, list[tuple[str, str]]]] = []
        for fam, area in areas:
            actions = sorted(((code, label(code)) for code in all_codes()
                              if code.startswith(f"{fam}.")), key=lambda c: c[1])
            groups.append((area, actions))
        set_choices(self, "action", [("", _("All")), *groups])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filters(self) -> AuditFilters:
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        d = self.cleaned_data
        return AuditFilters(family=d["family"], action=d["action"], actor=d["actor"].strip(),
                            since=d["since"], until=d["until"])


@login_required
@never_cache
@require_GET
def event_list(request: HttpRequest) -> HttpResponse:
    _require_audit(request.user)
    form = AuditFilterForm(request.GET or None)
    filters = form.filters()
    page = paginate(request, selectors.audit_event_list(actor=request.user, filters=filters))
    page.object_list = list(page.object_list)
    describe(page.object_list)
    return render_page(request, "audit/events.html", {
        "form": form, "page": page, "export_query": request.GET.urlencode(),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@never_cache
@require_GET
def event_export(request: HttpRequest) -> HttpResponse:
    _require_audit(request.user)
    form = AuditFilterForm(request.GET or None)
    if form.errors:
        return render_page(request, "audit/events.html", {
            "form": form, "page": paginate(request, []), "export_query": "",
        }, status=400)
    content = services.audit_export(actor=request.user, filters=form.filters())
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="wushe-audit-{stamp}.xlsx"'
    return response


class PiiFilterForm(FilterForm):
    actor = forms.CharField(label=gettext_lazy("User name"), required=False, max_length=150)
    subject = forms.CharField(label=gettext_lazy("Person record number"), required=False,
                              max_length=20)
    since = forms.DateField(label=gettext_lazy("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def filters(self) -> AuditFilters:
        if not self.is_bound or not self.is_valid():
            return AuditFilters()
        d = self.cleaned_data
        since: dt.date | None = d["since"]
        return AuditFilters(actor=d["actor"].strip(), target_id=d["subject"].strip(),
                            since=since, until=d["until"])


@login_required
@never_cache
@require_GET
def pii_list(request: HttpRequest) -> HttpResponse:
    _require_audit(request.user)
    form = PiiFilterForm(request.GET or None)
    page = paginate(request, selectors.pii_access_list(actor=request.user,
                                                        filters=form.filters()))
    for access in page:
        access.field_label = FIELD_LABELS.get(access.field, access.field)
    return render_page(request, "audit/pii.html", {"form": form, "page": page},
                       partial="results", status=400 if form.errors else 200)
