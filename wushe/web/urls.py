from django.urls import path

from wushe.web import imports, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("healthz", views.healthz, name="healthz"),
    path("imports/<str:job_id>/", imports.import_job, name="import_job"),
    path("imports/<str:job_id>/errors", imports.import_errors, name="import_errors"),
    path("imports/<str:job_id>/map", imports.import_map, name="import_map"),
]
