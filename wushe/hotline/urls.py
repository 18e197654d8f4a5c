from django.urls import path

from wushe.hotline import views

app_name = "hotline"

urlpatterns = [
    path("", views.order_list, name="list"),
    path("export/", views.order_export, name="export"),
    path("import/", views.order_import, name="import"),
    path("import/template/", views.order_import_template, name="import_template"),
    path("<id:order_id>/", views.order_detail, name="order"),
]
