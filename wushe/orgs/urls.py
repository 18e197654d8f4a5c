from django.urls import path

from wushe.orgs.views import imports, incubation, orgs

app_name = "orgs"
urlpatterns = [
    path("", orgs.org_list, name="list"),
    path("export.xlsx", orgs.org_export, name="export"),
    path("new", orgs.org_create, name="create"),
    path("mine", orgs.org_mine, name="mine"),
    path("ratings/", orgs.ratings_expiring, name="ratings"),
    path("import", imports.org_import, name="import"),
    path("import/template.xlsx", imports.org_import_template, name="import_template"),
    path("<id:org_id>/", orgs.org_detail, name="detail"),
    path("<id:org_id>/edit", orgs.org_edit, name="edit"),
    path("<id:org_id>/status", orgs.org_transition, name="transition"),
    path("<id:org_id>/rate", orgs.org_rate, name="rate"),
    path("<id:org_id>/contact", orgs.org_unmask, name="unmask"),
    path("<id:org_id>/members/new", orgs.member_add, name="member_add"),
    path("members/<id:member_id>/remove", orgs.member_remove, name="member_remove"),
    path("<id:org_id>/projects/new", orgs.project_add, name="project_add"),
    path("projects/<id:project_id>/edit", orgs.project_edit, name="project_edit"),
    path("<id:org_id>/honours/new", orgs.honour_add, name="honour_add"),
    path("<id:org_id>/assessments/new", incubation.assessment_add, name="assessment_add"),
    path("<id:org_id>/incubation/new", incubation.incubation_start, name="incubation_start"),
    path("incubation/", incubation.incubation_list, name="incubations"),
    path("incubation/<id:incubation_id>/", incubation.incubation_detail, name="incubation"),
    path("incubation/<id:incubation_id>/mentor", incubation.incubation_mentor,
         name="incubation_mentor"),
    path("incubation/<id:incubation_id>/stage", incubation.incubation_stage,
         name="incubation_stage"),
    path("incubation/<id:incubation_id>/issues/new", incubation.issue_add, name="issue_add"),
    path("incubation/issues/<id:issue_id>/resolve", incubation.issue_resolve,
         name="issue_resolve"),
    path("incubation/<id:incubation_id>/follow-ups/new", incubation.follow_up_add,
         name="follow_up_add"),
    path("capacity/", incubation.capacity_overview, name="capacity"),
]
