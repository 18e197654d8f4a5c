"""The short URL a check-in QR encodes: /v/checkin/<code> (wushe.volunteers.checkin)."""

from django.urls import path

from wushe.volunteers.views import checkin

app_name = "checkin"
urlpatterns = [
    path("checkin/<str:code>", checkin.page, name="page"),
]
