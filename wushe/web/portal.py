"""The front door for residents (issue #15 item 3): the public portal at anonymous ``/``, the
web app manifest that makes it installable, and the large-text mode (适老化) remembered per
browser by a cookie.

Nothing here writes to the database: the large-text choice lives in the visitor's browser only.
The portal works without JavaScript and without a service worker (WeChat's built-in browser).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import cache_control
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_GET, require_POST

from wushe.core.errors import ValidationFailed

# The cookie that remembers large text in this browser (read by base.html: "1" is on).
LARGE_TEXT_COOKIE = "ws_large"
LARGE_TEXT_MAX_AGE = 365 * 24 * 3600
# The top bar's blue (wushe.css --ws-primary) and the page background.
THEME_COLOUR = "#0b4f9c"
BACKGROUND_COLOUR = "#f3f5f8"


@dataclass(frozen=True)
class Tile:
    key: str  # data-testid="tile-<key>" and the icon's name in portal.html
    url_name: str
    label: str | Promise
    hint: str | Promise


# In the order: 我要求助, 查询进度, 志愿者注册, 证明查验, 慈善公开, 项目购买清单, 金点子.
TILES = [
    Tile("help", "needs:public_submit", _("Ask for help"),
         _("Tell your community what you need; a worker will contact you.")),
    Tile("track", "needs:track_lookup", _("Check progress"),
         _("Enter the code you were given to see how your request is going.")),
    Tile("volunteer", "volunteers:join", _("Volunteer registration"),
         _("Sign up with a team near you and record your service hours.")),
    Tile("verify", "volunteers:verify", _("Verify a certificate"),
         _("Check that a volunteer service certificate is genuine.")),
    Tile("charity", "charity:public", _("Charity disclosure"),
         _("See what the community funds received and how it was spent.")),
    Tile("purchase", "projects:public_lists", _("Project purchase lists"),
         _("See which services the government buys from social organisations.")),
    Tile("ideas", "needs:public_idea", _("Golden ideas"),
         _("Suggest how to make your community better.")),
]


def portal(request: HttpRequest) -> HttpResponse:
    """The anonymous home page: one tile per public service, staff sign-in last."""
    tiles = [(t, reverse(t.url_name)) for t in TILES]
    return render(request, "web/portal.html", {"tiles": tiles})


@require_GET
@cache_control(max_age=3600, public=True)
def manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest (W3C Web Application Manifest): installable from the portal."""
    icons = [{"src": static(f"web/icons/icon-{size}.png"), "sizes": f"{size}x{size}",
              "type": "image/png", "purpose": "any maskable"} for size in (192, 512)]
    body = {
        "name": "五社联动", "short_name": "五社联动", "lang": get_language() or "zh-hans",
        "description": str(_("Community services for residents: ask for help, check progress, "
                             "volunteer, verify a certificate, charity and purchase disclosure, "
                             "golden ideas")),
        "start_url": "/", "scope": "/", "id": "/", "display": "standalone",
        "theme_color": THEME_COLOUR, "background_color": BACKGROUND_COLOUR, "icons": icons,
    }
    return HttpResponse(json.dumps(body, ensure_ascii=False),
                        content_type="application/manifest+json; charset=utf-8")


@require_POST
@csrf_protect
def large_text(request: HttpRequest) -> HttpResponse:
    """Turn large text on ("1") or off ("0") in this browser, then go back to the page."""
    value = request.POST.get("large", "")
    if value not in ("0", "1"):
        raise ValidationFailed("大字模式的取值无效", "Large text must be on or off", field="large")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "/"
    response = HttpResponseRedirect(target)
    if value == "1":
        response.set_cookie(LARGE_TEXT_COOKIE, "1", max_age=LARGE_TEXT_MAX_AGE, samesite="Lax",
                            httponly=True, secure=request.is_secure())
    else:
        response.delete_cookie(LARGE_TEXT_COOKIE, samesite="Lax")
    return response
