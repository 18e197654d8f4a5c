"""What the community and social worker pages share: choices within the actor's scope for the
permission at hand (regions, sites, communities), and the blocks of their list, register,
edit and per-worker pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied, WusheError
from wushe.orgs.views.common import action_page
from wushe.regions.models import Region, RegionLevel, Site, SiteKind
from wushe.regions.selectors import region_get, regions_where, site_list
from wushe.web.pages import Submitted, add_service_error, paginate, render_page, submit

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MANAGE = "workforce.manage"
VIEW = "workforce.view"
PLACEMENT = (SiteKind.SW_CENTRE, SiteKind.SW_STATION, SiteKind.SW_ROOM)


def work_regions(actor: Actor) -> list[Region]:
    return regions_where(actor, MANAGE,
                         (RegionLevel.DISTRICT, RegionLevel.STREET, RegionLevel.COMMUNITY))


def communities(actor: Actor) -> list[Region]:
    return regions_where(actor, MANAGE, (RegionLevel.COMMUNITY,))


def residences(actor: Actor) -> list[Region]:
    return regions_where(actor, "people.create", (RegionLevel.COMMUNITY,))


def placement_sites(actor: Actor) -> list[Site]:
    return [s for s in site_list(actor=actor).filter(kind__in=PLACEMENT, active=True)
            if scope.covers(actor, MANAGE, s.region_path)]


def region_or_none(actor: Actor, code: str) -> Region | None:
    return region_get(actor=actor, code=code) if code else None


def site_or_none(sites: list[Site], pk: str) -> Site | None:
    return next((s for s in sites if str(s.pk) == pk), None) if pk else None


# --- page blocks ---------------------------------------------------------------------------

def require_perm(actor: Actor, perm: str) -> None:
    """A page for holders of ``perm`` anywhere (the rows are scoped by the selector)."""
    if not scope.has_perm(actor, perm):
        raise PermissionDenied()


def valid_filters(form: Any) -> dict[str, Any] | None:
    """The filter form's cleaned data, or None when it is unbound or invalid (no filter)."""
    if form.is_bound and form.is_valid():
        return dict(form.cleaned_data)
    return None


def worker_list_page(request: HttpRequest, form: Any, page_of: Callable[[], Any],
                     template: str, context: dict[str, Any]) -> HttpResponse:
    """A filtered list of workers: a refused filter shows its error on the form, no rows."""
    actor = request.user
    status = 400 if form.errors else 200
    try:
        page = page_of()
    except WusheError as exc:
        add_service_error(form, exc)
        page, status = paginate(request, []), exc.status
    return render_page(request, template, {
        "form": form, "page": page, **context,
        "can_manage": scope.has_perm(actor, MANAGE), "export_query": request.GET.urlencode(),
    }, partial="results", status=status)


def register_page(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any], *,
                  detail: str, title: str, tab: str, back: str) -> HttpResponse:
    """Register a worker; on success to the worker's page (url name ``detail``)."""
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, call)
        if outcome.done:
            return redirect(detail, worker_id=outcome.result.pk)
    return render_page(request, "workforce/form.html", {
        "form": form, "title": title, "tab": tab, "back": back}, status=outcome.status)


def managed_worker(request: HttpRequest, get: Callable[..., Any], worker_id: int) -> Any:
    """The worker (404 out of view scope), if the actor may manage it (403 otherwise)."""
    worker = get(actor=request.user, worker_id=worker_id)
    scope.require(request.user, MANAGE, worker, view_perm=VIEW)
    return worker


def worker_url(detail: str, worker: Any) -> str:
    return reverse(detail, kwargs={"worker_id": worker.pk})


def edit_page(request: HttpRequest, worker: Any, form: Any, back: str,
              call: Callable[[dict[str, Any]], Any]) -> HttpResponse:
    return action_page(
        request, form=form, back=back, call=call,
        title=_("Edit the record of %(name)s") % {"name": worker.person.masked_name},
        done=_("The changes have been saved."), submit_label=_("Save"))
