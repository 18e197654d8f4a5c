from django.urls import path

from wushe.complexes import views

app_name = "complexes"

urlpatterns = [
    path("", views.complex_list, name="list"),
    path("<id:complex_id>/", views.complex_detail, name="detail"),
    path("reports/<id:report_id>/decide", views.report_decide, name="report_decide"),
]
