from django.urls import path

from wushe.civilisation import views

app_name = "civilisation"
urlpatterns = [
    path("", views.sites, name="sites"),
    path("sites/new", views.site_create, name="site_create"),
    path("sites/<id:site_id>/", views.site_detail, name="site_detail"),
    path("sites/<id:site_id>/edit", views.site_edit, name="site_edit"),
    path("pairings/", views.pairings, name="pairings"),
    path("pairings/new", views.pairing_create, name="pairing_create"),
    path("pairings/<id:pairing_id>/", views.pairing_detail, name="pairing_detail"),
    path("pairings/<id:pairing_id>/edit", views.pairing_edit, name="pairing_edit"),
    path("domains/", views.domains, name="domains"),
    path("domains/<str:domain>/", views.domain_detail, name="domain_detail"),
]
