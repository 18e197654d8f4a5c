from django.urls import path

from wushe.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("read-all/", views.notification_read_all, name="read_all"),
    path("<str:notification_id>/read/", views.notification_read, name="read"),
    path("settings/", views.preference_page, name="settings"),
    path("outbox/", views.outbox, name="outbox"),
    path("outbox/<str:delivery_id>/retry/", views.outbox_retry, name="retry"),
]
