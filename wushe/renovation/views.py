"""Pages of the renovation programme: the programmes, one programme (its centres, budget vs
contract vs spent, progress counts), one centre (spending, documents, progress changes) and
the forms that call the services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import regions_where
from wushe.renovation import forms, selectors, services
from wushe.renovation.models import NEXT, PREVIOUS, Progress
from wushe.renovation.services import MANAGE, VIEW
from wushe.web.pages import action_page, paginate, render_page

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

ACTION = "supervision/action.html"


def _require_view(actor: Actor) -> None:
    if not scope.has_perm(actor, VIEW):
        raise PermissionDenied()


@login_required
@never_cache
@require_GET
def programme_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_view(actor)
    rows = []
    for p in paginate(request, selectors.programme_list(actor=actor)):
        rows.append((p, selectors.programme_figures(actor=actor, programme=p)))
    return render_page(request, "renovation/programmes.html", {
        "rows": rows, "can_create": bool(_programme_regions(actor)),
    })


def _programme_regions(actor: Actor) -> list[Any]:
    return regions_where(actor, MANAGE, (RegionLevel.DISTRICT, RegionLevel.STREET))


@login_required
@never_cache
@require_GET
def programme_detail(request: HttpRequest, programme_id: int) -> HttpResponse:
    actor = request.user
    programme = selectors.programme_get(actor=actor, programme_id=programme_id)
    return render_page(request, "renovation/programme.html", {
        "programme": programme,
        "figures": selectors.programme_figures(actor=actor, programme=programme),
        "renovations": list(selectors.programme_renovations(actor=actor, programme=programme)),
        "progress": Progress,
        "can_add": scope.covers(actor, MANAGE, programme.region_path),
    })


@login_required
@never_cache
@require_GET
def renovation_detail(request: HttpRequest, renovation_id: int) -> HttpResponse:
    actor = request.user
    r = selectors.renovation_get(actor=actor, renovation_id=renovation_id)
    can_manage = scope.covers(actor, MANAGE, r.region_path)
    nxt = NEXT.get(Progress(r.progress))
    return render_page(request, "renovation/renovation.html", {
        "r": r, "remaining": r.contract_amount - getattr(r, "spent", 0),
        "spendings": list(selectors.renovation_spendings(actor=actor, renovation=r)),
        "documents": list(selectors.renovation_documents(actor=actor, renovation=r)),
        "transitions": list(selectors.renovation_transitions(actor=actor, renovation=r)
                            .select_related("actor")),
        "can_manage": can_manage, "next": Progress(nxt) if nxt else None,
        "can_reopen": can_manage and PREVIOUS.get(Progress(r.progress)) is not None
        and scope.covers(actor, MANAGE, r.programme.region_path),
    })


@login_required
@never_cache
@require_GET
def document_download(request: HttpRequest, document_id: int) -> HttpResponse:
    doc = selectors.document_get(actor=request.user, document_id=document_id)
    data = services.document_read(actor=request.user, document=doc)
    response = HttpResponse(data, content_type=doc.content_type)
    response["Content-Disposition"] = f'attachment; filename="renovation-{doc.pk}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    regions = _programme_regions(actor)
    if not regions:
        raise PermissionDenied()
    form = forms.ProgrammeForm(request.POST or None, regions=regions)

    def call(d: dict[str, Any]) -> Any:
        region = form.regions[d.pop("region")]
        return services.programme_create(actor=actor, region=region, **d)

    back = reverse("renovation:programmes")
    return action_page(request, template=ACTION, form=form, call=call, back=back,
                       title=_("New renovation programme"), submit_label=_("Create"),
                       done=_("The programme has been created."))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def renovation_add(request: HttpRequest, programme_id: int) -> HttpResponse:
    actor = request.user
    programme = selectors.programme_get(actor=actor, programme_id=programme_id)
    scope.require(actor, MANAGE, programme, view_perm=VIEW)
    form = forms.RenovationAddForm(request.POST or None, sites=list(
        selectors.candidate_sites(actor=actor, programme=programme)))

    def call(d: dict[str, Any]) -> Any:
        return services.renovation_add(actor=actor, programme=programme,
                                       site=form.sites[d["site"]], budget=d["budget"])

    back = reverse("renovation:programme", kwargs={"programme_id": programme.pk})
    return action_page(request, template=ACTION, form=form, call=call, back=back,
                       title=_("Add a centre to %(name)s") % {"name": programme.name},
                       submit_label=_("Add"), done=_("The centre has been added."))


def _managed(request: HttpRequest, renovation_id: int) -> Any:
    r = selectors.renovation_get(actor=request.user, renovation_id=renovation_id)
    scope.require(request.user, MANAGE, r, view_perm=VIEW)
    return r


def _back(r: Any) -> str:
    return reverse("renovation:renovation", kwargs={"renovation_id": r.pk})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def contract_set(request: HttpRequest, renovation_id: int) -> HttpResponse:
    r = _managed(request, renovation_id)
    initial = {"contractor": r.contractor, "contract_number": r.contract_number,
               "contract_amount": r.contract_amount or ""}
    return action_page(
        request, template=ACTION, form=forms.ContractForm(request.POST or None, initial=initial),
        call=lambda d: services.renovation_contract_set(actor=request.user, renovation=r, **d),
        back=_back(r), title=_("Contract of %(site)s") % {"site": r.site.name},
        submit_label=_("Save"), done=_("The contract has been saved."))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def spending_add(request: HttpRequest, renovation_id: int) -> HttpResponse:
    r = _managed(request, renovation_id)
    return action_page(
        request, template=ACTION, form=forms.SpendingForm(request.POST or None),
        call=lambda d: services.spending_record(actor=request.user, renovation=r, **d),
        back=_back(r), title=_("Record spending on %(site)s") % {"site": r.site.name},
        submit_label=_("Record"), done=_("The spending has been recorded."))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def advance(request: HttpRequest, renovation_id: int) -> HttpResponse:
    r = _managed(request, renovation_id)
    nxt = NEXT.get(Progress(r.progress))
    if nxt is None:
        raise PermissionDenied(
            "验收后只能退回", "An accepted renovation can only be reopened")
    accepting = nxt == Progress.ACCEPTED
    form = forms.AdvanceForm(request.POST or None, request.FILES or None, accepting=accepting)
    return action_page(
        request, template=ACTION, form=form,
        call=lambda d: services.renovation_advance(actor=request.user, renovation=r, to=nxt,
                                                   on=d.get("on"), document=d.get("document")),
        back=_back(r), title=_("Mark %(site)s as %(state)s") % {
            "site": r.site.name, "state": Progress(nxt).label},
        submit_label=_("Confirm"), done=_("The progress has been updated."))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reopen(request: HttpRequest, renovation_id: int) -> HttpResponse:
    r = _managed(request, renovation_id)
    return action_page(
        request, template=ACTION, form=forms.ReopenForm(request.POST or None),
        call=lambda d: services.renovation_reopen(actor=request.user, renovation=r, **d),
        back=_back(r), title=_("Reopen %(site)s (one step back)") % {"site": r.site.name},
        submit_label=_("Reopen"), done=_("The renovation has been reopened."))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def document_add(request: HttpRequest, renovation_id: int) -> HttpResponse:
    r = _managed(request, renovation_id)
    return action_page(
        request, template=ACTION, form=forms.DocumentForm(request.POST or None,
                                                          request.FILES or None),
        call=lambda d: services.renovation_document_add(actor=request.user, renovation=r, **d),
        back=_back(r), title=_("Attach a document to %(site)s") % {"site": r.site.name},
        submit_label=_("Attach"), done=_("The document has been attached."))
