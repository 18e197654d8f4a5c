from django.urls import path

from wushe.inbox import views

app_name = "inbox"

urlpatterns = [path("", views.work, name="work")]
