"""Pages of the KPI dictionary (统计口径): the approved version with its approval record,
grouped by the cockpit's sections; a version by id; its xlsx and PDF exports; for district
admins, proposing a version from the current declarations and approving a colleague's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from wushe.accounts import scope
from wushe.core.errors import NotFound, WusheError
from wushe.definitions import dictionary, exports, selectors, services
from wushe.definitions.models import DictionaryVersion, VersionState
from wushe.regions import selectors as region_selectors
from wushe.regions.models import RegionLevel
from wushe.reports.charts import lang_code
from wushe.web.pages import button, render_page, xlsx_response

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _require_view(request: HttpRequest) -> None:
    if not scope.has_perm(request.user, selectors.VIEW):
        raise NotFound()


def _districts(actor: Actor) -> list[Any]:
    return [r for r in region_selectors.region_list(actor=actor).filter(
        level=RegionLevel.DISTRICT) if scope.covers(actor, services.MANAGE, r.path)]


def _page(request: HttpRequest, version: DictionaryVersion | None) -> HttpResponse:
    actor = request.user
    lang = lang_code()
    _items, digest = dictionary.current()
    current_items = None if version is not None else dictionary.sections(_items, lang)
    return render_page(request, "definitions/index.html", {
        "version": version,
        "approval": version.approval_text(lang) if version is not None else "",
        "sections": dictionary.sections(version.entries, lang) if version is not None
        else current_items,
        "differs": version is not None and version.content_hash != digest,
        "is_approved": version is not None and version.state == VersionState.APPROVED,
        "versions": list(selectors.version_list(actor=actor)[:20]),
        "can_propose": bool(_districts(actor)),
        "can_approve": (version is not None and version.state == VersionState.DRAFT
                        and version.proposed_by_id != actor.pk
                        and scope.covers(actor, services.MANAGE, version.region_path)),
    })


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    """The approved version (or, before any approval, the current declarations, marked as
    not approved)."""
    _require_view(request)
    return _page(request, selectors.approved(actor=request.user))


@login_required
@require_GET
def detail(request: HttpRequest, version_id: int) -> HttpResponse:
    return _page(request, selectors.version_get(actor=request.user, version_id=version_id))


@login_required
@require_GET
def export_xlsx(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, version_id=version_id)
    content = exports.xlsx_bytes(version, lang_code())
    services.version_exported(actor=request.user, version=version, fmt="xlsx")
    return xlsx_response(content, f"kpi-dictionary-v{version.number}")


@login_required
@require_GET
def export_pdf(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, version_id=version_id)
    content = exports.pdf_bytes(version, lang_code())
    services.version_exported(actor=request.user, version=version, fmt="pdf")
    response = HttpResponse(content, content_type="application/pdf")
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="kpi-dictionary-v{version.number}-{stamp}.pdf"')
    return response


@login_required
@require_POST
def propose(request: HttpRequest) -> HttpResponse:
    districts = _districts(request.user)
    if not districts:
        raise NotFound()
    try:
        version = services.version_propose(actor=request.user, region=districts[0])
    except NotFound:
        raise
    except WusheError as exc:  # shown on the page; nothing changed
        messages.error(request, exc.localized())
        return redirect("definitions:index")
    messages.success(request, _("Version %(n)s is proposed and awaits a second district "
                                "administrator's approval.") % {"n": version.number})
    return redirect("definitions:detail", version.pk)


@login_required
@require_POST
def approve(request: HttpRequest, version_id: int) -> HttpResponse:
    version = selectors.version_get(actor=request.user, version_id=version_id)
    return button(request, lambda: services.version_approve(actor=request.user, version=version),
                  _("Version %(n)s is approved.") % {"n": version.number},
                  "definitions:detail", version.pk)
