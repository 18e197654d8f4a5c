from django.contrib import admin
from django.urls import include, path

from config.api import api
from wushe.core.surface import filter_patterns

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("wushe.accounts.urls")),
    path("regions/", include("wushe.regions.urls")),
    path("people/", include("wushe.people.urls")),
    path("audit/", include("wushe.audit.urls")),
    path("volunteers/", include("wushe.volunteers.urls")),
    path("v/", include("wushe.volunteers.checkin_urls")),  # the check-in QR's short URL
    path("orgs/", include("wushe.orgs.urls")),
    path("workforce/", include("wushe.workforce.urls")),
    path("charity/", include("wushe.charity.urls")),
    path("needs/", include("wushe.needs.urls")),
    path("residents/", include("wushe.residents.urls")),
    path("projects/", include("wushe.projects.urls")),
    path("supervision/", include("wushe.supervision.urls")),
    path("evaluation/", include("wushe.evaluation.urls")),
    path("reports/", include("wushe.reports.urls")),
    path("work/", include("wushe.inbox.urls")),
    path("notifications/", include("wushe.notifications.urls")),
    path("hotline/", include("wushe.hotline.urls")),
    path("renovation/", include("wushe.renovation.urls")),
    path("civilisation/", include("wushe.civilisation.urls")),
    path("policies/", include("wushe.policies.urls")),
    path("openings/", include("wushe.openings.urls")),
    path("definitions/", include("wushe.definitions.urls")),
    path("complexes/", include("wushe.complexes.urls")),
    path("retention/", include("wushe.retention.urls")),
    path("open311/", include("wushe.open311.urls")),  # GeoReport v2 (public)
    path("", include("wushe.web.urls")),
]
# WUSHE_SURFACE (wushe/core/surface.py) decides which of these patterns exist on this server.
urlpatterns = filter_patterns(urlpatterns)

handler400 = "wushe.web.views.bad_request"
handler403 = "wushe.web.views.permission_denied"
handler404 = "wushe.web.views.page_not_found"
handler500 = "wushe.web.views.server_error"
