from django.urls import path

from wushe.definitions import views

app_name = "definitions"
urlpatterns = [
    path("", views.index, name="index"),
    path("propose", views.propose, name="propose"),
    path("<id:version_id>/", views.detail, name="detail"),
    path("<id:version_id>/approve", views.approve, name="approve"),
    path("<id:version_id>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<id:version_id>/export.pdf", views.export_pdf, name="export_pdf"),
]
