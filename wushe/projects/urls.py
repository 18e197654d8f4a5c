from django.urls import path

from wushe.projects.views import projects, public, purchase

app_name = "projects"
urlpatterns = [
    path("", projects.project_list, name="list"),
    path("new", projects.project_create, name="create"),
    path("<id:project_id>/", projects.project_detail, name="detail"),
    path("<id:project_id>/edit", projects.project_edit, name="edit"),
    path("<id:project_id>/needs", projects.project_needs, name="needs"),
    path("<id:project_id>/needs/<id:need_id>/detach", projects.project_need_detach,
         name="need_detach"),
    path("<id:project_id>/indicators", projects.indicator_add, name="indicator"),
    path("<id:project_id>/list", purchase.project_list_add, name="list_add"),
    path("<id:project_id>/procurement", purchase.procurement, name="procure"),
    path("<id:project_id>/contract", purchase.contract, name="contract"),
    path("<id:project_id>/start", projects.project_start, name="start"),
    path("<id:project_id>/tranches/<id:seq>/pay", purchase.payment, name="pay"),
    path("purchase-lists/", purchase.list_index, name="lists"),
    path("purchase-lists/<id:list_id>/", purchase.list_detail, name="list_detail"),
    path("purchase-lists/<id:list_id>/publish", purchase.list_publish, name="list_publish"),
    path("purchase-lists/<id:list_id>/export", purchase.list_export, name="list_export"),
    # public (no account)
    path("public/purchase-lists/", public.public_lists, name="public_lists"),
    path("public/purchase-lists/<id:list_id>/", public.public_list, name="public_list"),
]
