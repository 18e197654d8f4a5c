from django.urls import path

from wushe.volunteers.views import (
    activities,
    certificates,
    checkin,
    imports,
    me,
    national,
    public,
    records,
    teams,
    volunteers,
)

app_name = "volunteers"
urlpatterns = [
    # volunteers
    path("", volunteers.volunteer_list, name="list"),
    path("new", volunteers.volunteer_create, name="create"),
    path("<id:volunteer_id>/", volunteers.volunteer_detail, name="detail"),
    path("<id:volunteer_id>/edit", volunteers.volunteer_edit, name="edit"),
    path("<id:volunteer_id>/join", volunteers.volunteer_join, name="join_team"),
    path("<id:volunteer_id>/certificates/new", certificates.certificate_issue,
         name="certificate_issue"),
    path("applications/", volunteers.applications, name="applications"),
    path("applications/<id:application_id>/decide", volunteers.application_decide,
         name="application_decide"),
    # teams
    path("teams/", teams.tree, name="teams"),
    path("teams/new", teams.create, name="team_create"),
    path("teams/<id:team_id>/", teams.detail, name="team"),
    path("teams/<id:team_id>/children", teams.children, name="team_children"),
    path("teams/<id:team_id>/edit", teams.edit, name="team_edit"),
    path("teams/<id:team_id>/leaders", teams.appoint, name="team_appoint"),
    # activities
    path("activities/", activities.calendar, name="activities"),
    path("activities/new", activities.create, name="activity_create"),
    path("activities/<id:activity_id>/", activities.detail, name="activity"),
    path("activities/<id:activity_id>/edit", activities.edit, name="activity_edit"),
    path("activities/<id:activity_id>/status", activities.set_status, name="activity_status"),
    path("activities/<id:activity_id>/signup", activities.signup, name="activity_signup"),
    path("activities/<id:activity_id>/qr", checkin.qr, name="activity_qr"),
    path("signups/<id:signup_id>/<str:action>", activities.signup_action, name="signup_action"),
    # service records
    path("records/", records.record_list, name="records"),
    path("records/new", records.record_create, name="record_create"),
    path("records/<id:record_id>/", records.record_detail, name="record"),
    path("records/<id:record_id>/reject", records.reject, name="record_reject"),
    path("queue/", records.queue, name="queue"),
    path("queue/confirm", records.confirm, name="confirm"),
    path("corrections/<id:request_id>/decide", records.decide, name="correction_decide"),
    # certificates and pairing
    path("certificates/", certificates.certificate_list, name="certificates"),
    path("certificates/<id:certificate_id>/", certificates.certificate_detail,
         name="certificate"),
    path("certificates/<id:certificate_id>/pdf", certificates.certificate_download,
         name="certificate_pdf"),
    path("certificates/<id:certificate_id>/revoke", certificates.certificate_revoke,
         name="certificate_revoke"),
    path("pairings/", certificates.pairing_list, name="pairings"),
    path("pairings/new", certificates.pairing_create, name="pairing_create"),
    path("pairings/<id:pairing_id>/", certificates.pairing_detail, name="pairing"),
    path("pairings/<id:pairing_id>/end", certificates.pairing_end, name="pairing_end"),
    # Excel
    path("import/", imports.import_page, name="import"),
    path("import/template", imports.import_template, name="import_template"),
    path("export/volunteers", imports.export_volunteers, name="export_volunteers"),
    path("export/records", imports.export_records, name="export_records"),
    path("export/teams", imports.export_teams, name="export_teams"),
    path("export/national", national.national_export, name="national_export"),
    # the volunteer's own page
    path("me/", me.me, name="me"),
    # public: no account
    path("join/", public.join, name="join"),
    path("join/teams", public.join_teams, name="join_teams"),
    path("join/done", public.join_done, name="join_done"),
    path("verify/", public.verify, name="verify"),
    path("verify/<str:number>", public.verify_number, name="verify_number"),
]
