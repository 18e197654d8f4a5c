from django.urls import path

from wushe.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("screen", views.screen, name="screen"),
    path("export.xlsx", views.export, name="export"),
    path("annual/", views.annual, name="annual"),
    path("annual/jobs", views.annual_start, name="annual_start"),
    path("annual/jobs/<str:job_id>/", views.annual_job, name="annual_job"),
    path("annual/jobs/<str:job_id>/retry", views.annual_retry, name="annual_retry"),
    path("annual/jobs/<str:job_id>/<str:fmt>", views.annual_file, name="annual_file"),
    path("ping", views.ping, name="ping"),
]
