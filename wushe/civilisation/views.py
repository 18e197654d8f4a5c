"""Pages: the site tree (centre → 所 → 站), a site, the pairings, activities per domain. Thin."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from wushe.accounts import scope
from wushe.civilisation import selectors, services
from wushe.civilisation.models import Domain
from wushe.core.errors import NotFound, PermissionDenied, WusheError
from wushe.web.pages import paginate, render_page


@login_required
@require_GET
def sites(request: HttpRequest) -> HttpResponse:
    return render_page(request, "civilisation/sites.html",
                       {"roots": selectors.site_tree(actor=request.user)})


@login_required
@require_GET
def site_detail(request: HttpRequest, site_id: int) -> HttpResponse:
    site = selectors.site_get(actor=request.user, site_id=site_id)
    return render_page(request, "civilisation/site.html", {
        "site": site,
        "children": site.children.all().unscoped().select_related("region"),  # type: ignore[attr-defined]
        "teams": site.teams.all().unscoped(),  # type: ignore[attr-defined]
        "other_names": site.other_names.all().unscoped(),  # type: ignore[attr-defined]
        "counts": selectors.domain_counts(actor=request.user, region=site.region),
        "pairings": selectors.civilisation_pairings(request.user, site.region),
    })


@login_required
@require_GET
def pairings(request: HttpRequest) -> HttpResponse:
    page = paginate(request, selectors.pairing_list(actor=request.user))
    return render_page(request, "civilisation/pairings.html", {"page": page})


@login_required
@require_GET
def pairing_detail(request: HttpRequest, pairing_id: int) -> HttpResponse:
    pairing = selectors.pairing_get(actor=request.user, pairing_id=pairing_id)
    activities = selectors.pairing_activities(pairing=pairing)[:50]
    return render_page(request, "civilisation/pairing.html",
                       {"pairing": pairing, "activities": activities})


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
        from wushe.volunteers.models import Activity

        try:
            activity = scope.get_or_404(Activity.objects, actor, services.VIEW,
                                        pk=form.cleaned_data["activity"])
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
