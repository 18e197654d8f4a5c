"""Pages of the policy library: the list (search by title or 文号, filter by issuer and year),
a document with its file, the Excel export and, for district admins, adding a document."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import NotFound, WusheError
from wushe.core.excel import workbook_bytes
from wushe.policies import exports, selectors, services
from wushe.policies.selectors import PolicyFilters
from wushe.regions import selectors as region_selectors
from wushe.regions.models import RegionLevel
from wushe.web.pages import Submitted, paginate, render_page, submit, xlsx_response


def _filters(request: HttpRequest) -> PolicyFilters:
    raw_year = request.GET.get("year", "").strip()
    year = int(raw_year) if raw_year.isdigit() and 1949 <= int(raw_year) <= 9999 else None
    return PolicyFilters(q=request.GET.get("q", "").strip()[:100],
                         issuer=request.GET.get("issuer", "").strip()[:100], year=year)


@login_required
@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, selectors.VIEW):
        raise NotFound()
    filters = _filters(request)
    page = paginate(request, selectors.policy_list(actor=actor, filters=filters))
    today = timezone.localdate()
    for d in page:
        d.in_force_now = d.in_force(today)
    return render_page(request, "policies/list.html", {
        "page": page, "filters": filters, "issuers": selectors.issuers(actor=actor),
        "years": selectors.years(actor=actor),
        "can_manage": scope.has_perm(actor, services.MANAGE),
        "query": request.GET.urlencode(),
    }, partial="results")


@login_required
@require_GET
def policy_export(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, selectors.VIEW):
        raise NotFound()
    docs = list(selectors.policy_list(actor=actor, filters=_filters(request))[:5000])
    content = workbook_bytes([("政策文件", ["标题", "发文机关", "文号", "发文日期", "施行日期",
                                          "废止日期", "状态"],
                               exports.export_rows(docs, timezone.localdate()))])
    services.documents_exported(actor=actor, rows=len(docs))
    return xlsx_response(content, "policies")


@login_required
@require_GET
def policy_detail(request: HttpRequest, policy_id: int) -> HttpResponse:
    doc = selectors.policy_get(actor=request.user, policy_id=policy_id)
    from wushe.regions.rules import RULES

    rules = [r for r in RULES.values() if doc.key and r.doc == doc.key]
    return render_page(request, "policies/detail.html", {
        "doc": doc, "in_force": doc.in_force(timezone.localdate()),
        "rules": [{"label": r.label(), "value": r.shown(r.base())} for r in rules],
        "can_repeal": doc.repealed_on is None and scope.covers(request.user, services.MANAGE,
                                                               doc.region_path),
    })


@login_required
@require_GET
def policy_file(request: HttpRequest, policy_id: int) -> HttpResponse:
    doc = selectors.policy_get(actor=request.user, policy_id=policy_id)
    if not doc.file_size:
        raise NotFound()
    content = bytes(doc.file or b"")
    response = HttpResponse(content, content_type=doc.file_type or "application/octet-stream")
    ext = {"application/pdf": "pdf", "application/ofd": "ofd"}.get(doc.file_type, "docx")
    response["Content-Disposition"] = f'attachment; filename="policy-{doc.pk}.{ext}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


class PolicyForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    issuer = forms.CharField(label=gettext_lazy("Issuer"), max_length=100)
    number = forms.CharField(label=gettext_lazy("Document number (文号)"), max_length=60,
                             required=False)
    issued_on = forms.DateField(label=gettext_lazy("Date issued"))
    effective_on = forms.DateField(label=gettext_lazy("Effective from"), required=False)
    repealed_on = forms.DateField(label=gettext_lazy("Repealed on"), required=False)
    key = forms.CharField(label=gettext_lazy("Citation key"), max_length=60, required=False,
                          help_text=gettext_lazy("The key local rules cite this document by."))
    file = forms.FileField(label=gettext_lazy("File (PDF, DOCX or OFD)"), required=False)


@login_required
@require_http_methods(["GET", "POST"])
def policy_add(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, services.MANAGE):
        raise NotFound()
    districts = [r for r in region_selectors.region_list(actor=actor).filter(
        level=RegionLevel.DISTRICT) if scope.covers(actor, services.MANAGE, r.path)]
    if not districts:
        raise NotFound()
    form = PolicyForm(request.POST or None, request.FILES or None)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.policy_add(
            actor=actor, region=districts[0], title=d["title"], issuer=d["issuer"],
            number=d["number"], issued_on=d["issued_on"], effective_on=d["effective_on"],
            repealed_on=d["repealed_on"], key=d["key"], file=d["file"]))
        if outcome.done:
            messages.success(request, _("The document has been added to the library."))
            return redirect("policies:detail", outcome.result.pk)
    return render_page(request, "policies/add.html", {"form": form}, status=outcome.status)


@login_required
@require_POST
def policy_repeal(request: HttpRequest, policy_id: int) -> HttpResponse:
    doc = selectors.policy_get(actor=request.user, policy_id=policy_id)
    try:
        services.policy_repeal(actor=request.user, policy=doc,
                               repealed_on=request.POST.get("repealed_on"))
    except NotFound:
        raise
    except WusheError as exc:  # shown on the page; nothing changed
        messages.error(request, exc.localized())
        return redirect("policies:detail", doc.pk)
    messages.success(request, _("The document is marked repealed."))
    return redirect("policies:detail", doc.pk)
