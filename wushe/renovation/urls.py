from django.urls import path

from wushe.renovation import views

app_name = "renovation"
urlpatterns = [
    path("", views.programme_list, name="programmes"),
    path("new", views.programme_create, name="programme_create"),
    path("<id:programme_id>/", views.programme_detail, name="programme"),
    path("<id:programme_id>/add", views.renovation_add, name="renovation_add"),
    path("centres/<id:renovation_id>/", views.renovation_detail, name="renovation"),
    path("centres/<id:renovation_id>/contract", views.contract_set, name="contract"),
    path("centres/<id:renovation_id>/spending", views.spending_add, name="spending_add"),
    path("centres/<id:renovation_id>/advance", views.advance, name="advance"),
    path("centres/<id:renovation_id>/reopen", views.reopen, name="reopen"),
    path("centres/<id:renovation_id>/documents", views.document_add, name="document_add"),
    path("documents/<id:document_id>", views.document_download, name="document"),
]
