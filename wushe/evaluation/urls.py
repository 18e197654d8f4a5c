from django.urls import path

from wushe.evaluation.views import public, scoring, staff

app_name = "evaluation"
urlpatterns = [
    path("", staff.evaluation_list, name="list"),
    path("mine", staff.evaluation_mine, name="mine"),
    path("export", staff.evaluation_export, name="export"),
    path("new", staff.evaluation_create, name="create"),
    path("excellent", staff.excellent, name="excellent"),
    path("indicators", staff.indicator_sets, name="indicator_sets"),
    path("<id:evaluation_id>/", staff.evaluation_detail, name="detail"),
    path("<id:evaluation_id>/decide", staff.evaluation_decide, name="decide"),
    path("<id:evaluation_id>/members/add", staff.member_add, name="member_add"),
    path("<id:evaluation_id>/members/<id:member_id>/remove", staff.member_remove,
         name="member_remove"),
    path("<id:evaluation_id>/score/<id:member_id>", scoring.score, name="score"),
    # public (no account)
    path("survey/<str:token>", public.survey_page, name="survey"),
]
