from django.urls import path

from wushe.core import health, metrics
from wushe.web import exports, imports, oidc_views, otp_views, portal, views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("login/otp/", otp_views.login_otp, name="login_otp"),
    path("login/enrol/", otp_views.login_enrol, name="login_enrol"),
    path("login/oidc/", oidc_views.login_oidc, name="login_oidc"),
    path("login/oidc/callback/", oidc_views.login_oidc_callback, name="login_oidc_callback"),
    path("account/security/", otp_views.account_security, name="account_security"),
    path("account/security/enrol/", otp_views.account_enrol, name="account_enrol"),
    path("account/security/reset/", otp_views.account_otp_reset, name="account_otp_reset"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
    path("manifest.webmanifest", portal.manifest, name="manifest"),
    path("display/large-text", portal.large_text, name="large_text"),
    path("imports/<str:job_id>/", imports.import_job, name="import_job"),
    path("imports/<str:job_id>/errors", imports.import_errors, name="import_errors"),
    path("imports/<str:job_id>/map", imports.import_map, name="import_map"),
    path("imports/<str:job_id>/retry", imports.import_retry, name="import_retry"),
    path("exports/<str:job_id>/", exports.export_job, name="export_job"),
    path("exports/<str:job_id>/file", exports.export_file, name="export_file"),
    path("exports/<str:job_id>/retry", exports.export_retry, name="export_retry"),
]
