"""The public transparency pages: no account, no personal data (see charity/public.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wushe.charity import campaign_selectors, public
from wushe.web.pages import paginate, render_page

PUBLIC_PAGE_SIZE = 20


@require_GET
@cache_control(public=True, max_age=300)
def public_index(request: HttpRequest) -> HttpResponse:
    overview = public.public_overview()
    # The community funds (one per community: hundreds in a district) 20 to a page; a page out
    # of range shows the last one and a page that is not a number the first (web.pages).
    community = paginate(request, [f for f in overview["funds"] if f.kind == "community"],
                         per_page=PUBLIC_PAGE_SIZE)
    return render_page(request, "charity/public_index.html", {
        **overview, "campaigns": campaign_selectors.public_campaigns(),
        "community_page": community, "page": community,
        "community_open": "page" in request.GET})


@require_GET
@cache_control(public=True, max_age=300)
def public_fund(request: HttpRequest, fund_id: int) -> HttpResponse:
    return render_page(request, "charity/public_fund.html",
                       {"fund": public.public_fund(fund_id=fund_id)})
