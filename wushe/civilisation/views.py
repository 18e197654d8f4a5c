"""Pages: the site tree (centre → 所 → 站), a site, the pairings, activities per domain. Thin."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.civilisation import forms as cforms
from wushe.civilisation import selectors, services
from wushe.civilisation.models import Domain, PracticeSite
from wushe.core.errors import NotFound, PermissionDenied, WusheError
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import region_get, regions_where
from wushe.web.pages import action_page, paginate, render_page

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

ACTION = "orgs/action.html"  # the one-form action page


@login_required
@require_GET
def sites(request: HttpRequest) -> HttpResponse:
    return render_page(request, "civilisation/sites.html", {
        "roots": selectors.site_tree(actor=request.user),
        "can_manage": scope.has_perm(request.user, services.MANAGE)})


@login_required
@require_GET
def site_detail(request: HttpRequest, site_id: int) -> HttpResponse:
    site = selectors.site_get(actor=request.user, site_id=site_id)
    return render_page(request, "civilisation/site.html", {
        "site": site,
        "children": site.children.all().unscoped(reason="children of a row read in scope").select_related("region"),  # type: ignore[attr-defined]
        "teams": site.teams.all().unscoped(reason="children of a row read in scope"),  # type: ignore[attr-defined]
        "other_names": site.other_names.all().unscoped(reason="children of a row read in scope"),  # type: ignore[attr-defined]
        "counts": selectors.domain_counts(actor=request.user, region=site.region),
        "pairings": selectors.civilisation_pairings(request.user, site.region),
        "can_manage": scope.covers(request.user, services.MANAGE, site.region_path),
    })


@login_required
@require_GET
def pairings(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.pairing_list(actor=request.user))
    return render_page(request, "civilisation/pairings.html", {
        "page": page, "can_manage": scope.has_perm(request.user, services.MANAGE)})


@login_required
@require_GET
def pairing_detail(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = selectors.pairing_get(actor=request.user, pairing_id=pairing_id)
    activities = selectors.pairing_activities(pairing=pairing)[:50]
    return render_page(request, "civilisation/pairing.html", {
        "pairing": pairing, "activities": activities,
        "can_manage": scope.covers(request.user, services.MANAGE, pairing.region_path)})


class DomainForm(forms.Form):
    activity = forms.IntegerField(label=gettext_lazy("Activity number"), min_value=1)
    domain = forms.ChoiceField(label=gettext_lazy("Practice domain"), choices=Domain.choices)


@login_required
@require_http_methods(["GET", "POST"])
def domains(request: HttpRequest) -> HttpResponse:
    """Activities per domain; staff put an activity in a domain here."""
    actor = request.user
    form = DomainForm(request.POST or None)
    can_set = scope.has_perm(actor, services.MANAGE)
    if request.method == "POST" and not can_set:
        raise PermissionDenied()
    if request.method == "POST" and form.is_valid():
        try:
            activity = selectors.activity_get(actor=actor, activity_id=form.cleaned_data["activity"])
            services.activity_domain_set(actor=actor, activity=activity,
                                         domain=form.cleaned_data["domain"])
        except NotFound:
            form.add_error("activity", _("No such activity."))
        except WusheError as exc:
            form.add_error(None, exc.localized())
        else:
            messages.success(request, _("The activity's practice domain is saved."))
            return redirect("civilisation:domains")
    counts = selectors.domain_counts(actor=actor)
    return render_page(request, "civilisation/domains.html", {
        "counts": counts, "total": sum(c[2] for c in counts), "form": form, "can_set": can_set,
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def domain_detail(request: HttpRequest, domain: str) -> HttpResponse:
    if domain not in Domain.values:
        raise NotFound()
    page = paginate(request, selectors.domain_activities(actor=request.user, domain=domain))
    return render_page(request, "civilisation/domain.html",
                       {"domain": Domain(domain), "page": page})


# --- creating and editing sites and pairings --------------------------------------------------

def _require_manage(actor: Actor) -> None:
    if not scope.has_perm(actor, services.MANAGE):
        raise PermissionDenied()


@login_required
@require_http_methods(["GET", "POST"])
def site_create(request: HttpRequest) -> HttpResponse:
    """A centre, 所 or 站 in a region the actor manages; it goes under the site above."""
    actor = request.user
    _require_manage(actor)
    regions = regions_where(actor, services.MANAGE, (RegionLevel.DISTRICT, RegionLevel.STREET,
                                                     RegionLevel.COMMUNITY))
    form = cforms.SiteForm(request.POST or None, regions=regions)

    def call(d: dict[str, object]) -> PracticeSite:
        region = region_get(actor=actor, code=str(d["region"]))
        return services.site_create(actor=actor, level=str(d["level"]), name=d["name"],
                                    region=region,
                                    parent=selectors.parent_for(str(d["level"]), region),
                                    leader_name=d["leader_name"],
                                    leader_post=d["leader_post"])

    created: list[PracticeSite] = []
    response = action_page(
        request, template=ACTION, form=form,
        call=lambda d: created.append(call(d)), title=_("Add a civilisation practice site"),
        back=reverse("civilisation:sites"), done=_("The practice site has been added."),
        submit_label=_("Add"))
    if created:
        return redirect("civilisation:site_detail", site_id=created[0].pk)
    return response


def _managed_site(request: HttpRequest, site_id: int) -> PracticeSite:
    site = selectors.site_get(actor=request.user, site_id=site_id)
    scope.require(request.user, services.MANAGE, site, view_perm=services.VIEW)
    return site


@login_required
@require_http_methods(["GET", "POST"])
def site_edit(request: HttpRequest, site_id: int) -> HttpResponse:
    actor = request.user
    site = _managed_site(request, site_id)
    same_place = selectors.same_place_sites(site=site)
    current = [str(pk) for pk in site.other_names.all().unscoped(reason="children of a row read in scope")  # type: ignore[attr-defined]
               .values_list("pk", flat=True)]
    form = cforms.SiteEditForm(request.POST or None, sites=same_place, initial={
        "name": site.name, "leader_name": site.leader_name, "leader_post": site.leader_post,
        "others": current})
    by_pk = {str(s.pk): s for s in same_place}
    back = reverse("civilisation:site_detail", kwargs={"site_id": site.pk})
    return action_page(
        request, template=ACTION, form=form,
        call=lambda d: services.site_update(
            actor=actor, site=site, name=d["name"], leader_name=d["leader_name"],
            leader_post=d["leader_post"], others=[by_pk[k] for k in d["others"]]),
        title=_("Edit %(name)s") % {"name": site.name}, back=back,
        done=_("The changes have been saved."), submit_label=_("Save"))


@login_required
@require_http_methods(["GET", "POST"])
def pairing_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_manage(actor)
    form = cforms.PairingForm(request.POST or None, communities=regions_where(
        actor, services.MANAGE, (RegionLevel.COMMUNITY,)))
    return action_page(
        request, template=ACTION, form=form,
        call=lambda d: services.pairing_create(
            actor=actor, community=region_get(actor=actor, code=d["community"]),
            partner_kind=d["partner_kind"], partner_name=d["partner_name"],
            starts_on=d["starts_on"], ends_on=d["ends_on"]),
        title=_("Add a pairing (结对共建)"), back=reverse("civilisation:pairings"),
        done=_("The pairing has been added."), submit_label=_("Add"))


@login_required
@require_http_methods(["GET", "POST"])
def pairing_edit(request: HttpRequest, pairing_id: int) -> HttpResponse:
    actor = request.user
    pairing = selectors.pairing_get(actor=actor, pairing_id=pairing_id)
    scope.require(actor, services.MANAGE, pairing, view_perm=services.VIEW)
    form = cforms.PairingEditForm(request.POST or None, initial={
        "partner_name": pairing.partner_name, "ends_on": pairing.ends_on})
    return action_page(
        request, template=ACTION, form=form,
        call=lambda d: services.pairing_update(actor=actor, pairing=pairing,
                                               partner_name=d["partner_name"],
                                               ends_on=d["ends_on"]),
        title=_("Edit the pairing with %(name)s") % {"name": pairing.partner_name},
        back=reverse("civilisation:pairing_detail", kwargs={"pairing_id": pairing.pk}),
        done=_("The changes have been saved."), submit_label=_("Save"))
