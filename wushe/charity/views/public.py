"""The public transparency pages: no account, no personal data (see charity/public.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from wushe.charity import campaign_selectors, public
from wushe.web.pages import render_page


@require_GET
@cache_control(public=True, max_age=300)
def public_index(request: HttpRequest) -> HttpResponse:
    return render_page(request, "charity/public_index.html", {
        **public.public_overview(), "campaigns": campaign_selectors.public_campaigns()})


@require_GET
@cache_control(public=True, max_age=300)
def public_fund(request: HttpRequest, fund_id: int) -> HttpResponse:
    return render_page(request, "charity/public_fund.html",
                       {"fund": public.public_fund(fund_id=fund_id)})
