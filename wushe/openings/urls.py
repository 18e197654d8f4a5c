from django.urls import path

from wushe.openings import views

app_name = "openings"
urlpatterns = [
    path("", views.opening_list, name="list"),
    path("new", views.opening_propose, name="propose"),
    path("<id:balance_id>/", views.opening_detail, name="detail"),
    path("<id:balance_id>/approve", views.opening_approve, name="approve"),
    path("<id:balance_id>/reject", views.opening_reject, name="reject"),
    path("<id:balance_id>/withdraw", views.opening_withdraw, name="withdraw"),
]
