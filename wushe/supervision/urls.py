from django.urls import path

from wushe.supervision.views import lists, sessions, visits

app_name = "supervision"
urlpatterns = [
    path("", lists.calendar, name="calendar"),
    path("overdue/", lists.overdue, name="overdue"),
    path("visits/", lists.visits, name="visits"),
    path("rectifications/", lists.rectifications, name="rectifications"),
    path("records/", lists.records, name="records"),
    path("records/export.xlsx", lists.records_export, name="records_export"),
    path("sessions/", sessions.session_list, name="sessions"),
    path("sessions/new", sessions.session_create, name="session_create"),
    path("visits/<id:supervision_id>/", visits.visit_detail, name="visit"),
    path("visits/<id:supervision_id>/record", visits.visit_record, name="visit_record"),
    path("visits/<id:supervision_id>/reschedule", visits.visit_reschedule,
         name="visit_reschedule"),
    path("visits/<id:supervision_id>/miss", visits.visit_miss, name="visit_miss"),
    path("visits/<id:supervision_id>/rectifications/new", visits.rectification_add,
         name="rectification_add"),
    path("rectifications/<id:rectification_id>/close", visits.rectification_close,
         name="rectification_close"),
    path("projects/<id:project_id>/schedule", visits.schedule_generate,
         name="schedule_generate"),
]
