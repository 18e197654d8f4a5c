from django.urls import path

from wushe.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("export.xlsx", views.policy_export, name="export"),
    path("new", views.policy_add, name="add"),
    path("<id:policy_id>/", views.policy_detail, name="detail"),
    path("<id:policy_id>/file", views.policy_file, name="file"),
    path("<id:policy_id>/repeal", views.policy_repeal, name="repeal"),
]
