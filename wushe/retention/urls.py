from django.urls import path

from wushe.retention import views

app_name = "retention"
urlpatterns = [
    path("", views.report_page, name="report"),
    path("erase/<id:person_id>/", views.erase_page, name="erase"),
]
