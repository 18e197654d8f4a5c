from django.urls import path

from wushe.regions import views, views_rules

app_name = "regions"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("rules/", views_rules.rules_page, name="rules"),
    path("rules/<str:code>/<str:key>/clear", views_rules.rule_clear, name="rule_clear"),
    path("sites/", views.site_list, name="sites"),
    path("sites/new", views.site_create, name="site_create"),
    path("sites/<id:site_id>/", views.site_detail, name="site_detail"),
    path("sites/<id:site_id>/edit", views.site_edit, name="site_edit"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/children", views.children, name="children"),
    path("<str:code>/edit", views.edit, name="edit"),
]
