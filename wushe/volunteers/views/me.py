"""The volunteer's own page: hours, star level, certificates, sign-ups, correction requests."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wushe.volunteers import selectors
from wushe.volunteers.stars import MAX_STARS
from wushe.web.pages import render_page


@login_required
@never_cache
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    actor = request.user
    volunteer = selectors.my_volunteer(actor=actor)
    context: dict[str, object] = {"volunteer": volunteer}
    if volunteer is not None:
        records = selectors.record_list(actor=actor, filters=selectors.RecordFilters(
            volunteer=volunteer))
        context.update({
            "person": volunteer.person,
            "star_range": range(1, MAX_STARS + 1),
            "memberships": selectors.memberships(actor=actor, volunteer=volunteer),
            "records": list(records[:50]),
            "certificates": list(selectors.certificate_list(actor=actor, volunteer=volunteer)),
            "signups": list(selectors.my_signups(actor=actor)[:20]),
            "open_activities": list(selectors.activities_open_to_me(actor=actor)[:20]),
            "requests": list(selectors.my_correction_requests(actor=actor)[:20]),
            "pairings": list(selectors.pairing_list(actor=actor)[:20]),
        })
    return render_page(request, "volunteers/me.html", context)
