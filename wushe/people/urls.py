from django.urls import path

from wushe.people import views, views_subject

app_name = "people"
urlpatterns = [
    path("", views.person_list, name="list"),
    path("new", views.person_create, name="create"),
    path("subject-access", views_subject.subject_access_start, name="subject_access"),
    path("subject-access/<str:job_id>/", views_subject.subject_access_job,
         name="subject_access_job"),
    path("subject-access/<str:job_id>/<str:fmt>", views_subject.subject_access_file,
         name="subject_access_file"),
    path("import", views.person_import, name="import"),
    path("<id:person_id>/", views.person_detail, name="detail"),
    path("<id:person_id>/edit", views.person_edit, name="edit"),
    path("<id:person_id>/reveal", views.person_reveal, name="reveal"),
    path("<id:person_id>/consents", views.consent_give, name="consent_give"),
    path("<id:person_id>/guardian", views.guardian_lookup, name="guardian_lookup"),
    path("consents/<id:consent_id>/withdraw", views.consent_withdraw, name="consent_withdraw"),
]
