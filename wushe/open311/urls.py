"""Open311 GeoReport v2, mounted at /open311/ (config/urls.py); every name is a public page
(wushe/core/surface.py PUBLIC_PAGES)."""

from django.urls import path, register_converter

from wushe.open311 import views


class FormatConverter:
    regex = "json|xml"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(FormatConverter, "open311fmt")

app_name = "open311"
urlpatterns = [
    path("discovery.<open311fmt:fmt>", views.discovery, name="discovery"),
    path("v2/services.<open311fmt:fmt>", views.services_list, name="services"),
    path("v2/services/<str:code>.<open311fmt:fmt>", views.service_definition,
         name="service_definition"),
    path("v2/requests.<open311fmt:fmt>", views.requests, name="requests"),
    path("v2/requests/<str:request_id>.<open311fmt:fmt>", views.request_detail, name="request"),
    path("<path:rest>", views.not_found, name="not_found"),
]
