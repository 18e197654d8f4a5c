from django.urls import path

from wushe.civilisation import views

app_name = "civilisation"
urlpatterns = [
    path("", views.sites, name="sites"),
    path("sites/<id:site_id>/", views.site_detail, name="site_detail"),
    path("pairings/", views.pairings, name="pairings"),
    path("pairings/<id:pairing_id>/", views.pairing_detail, name="pairing_detail"),
    path("domains/", views.domains, name="domains"),
    path("domains/<str:domain>/", views.domain_detail, name="domain_detail"),
]
