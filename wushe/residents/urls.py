from django.urls import path

from wushe.residents import views

app_name = "residents"
urlpatterns = [
    path("", views.profile_list, name="list"),
    path("new", views.profile_create, name="create"),
    path("import", views.profile_import, name="import"),
    path("<id:profile_id>/", views.profile_detail, name="detail"),
    path("<id:profile_id>/edit", views.profile_edit, name="edit"),
    path("<id:profile_id>/reveal", views.profile_reveal, name="reveal"),
    path("<id:profile_id>/close", views.profile_close, name="close"),
    path("<id:profile_id>/ledger", views.profile_add_to_ledger, name="add_to_ledger"),
    path("ledgers/", views.ledger_list, name="ledgers"),
    path("ledgers/new", views.ledger_create, name="ledger_create"),
    path("ledgers/import", views.ledger_import, name="ledger_import"),
    path("ledgers/<id:ledger_id>/", views.ledger_detail, name="ledger"),
    path("ledgers/<id:ledger_id>/remove/<id:profile_id>", views.ledger_remove,
         name="ledger_remove"),
]
