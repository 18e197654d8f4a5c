from django.urls import path

from wushe.workforce.views import community, imports, social

app_name = "workforce"
urlpatterns = [
    path("", social.social_worker_list, name="social_workers"),
    path("social-workers/export.xlsx", social.social_worker_export, name="social_export"),
    path("social-workers/new", social.social_worker_create, name="social_worker_create"),
    path("social-workers/<id:worker_id>/", social.social_worker_detail, name="social_worker"),
    path("social-workers/<id:worker_id>/edit", social.social_worker_edit,
         name="social_worker_edit"),
    path("social-workers/<id:worker_id>/training/new", social.training_add,
         name="training_add"),
    path("training/", social.training_totals, name="training"),
    path("community-workers/", community.community_worker_list, name="community_workers"),
    path("community-workers/export.xlsx", community.community_worker_export,
         name="community_export"),
    path("community-workers/new", community.community_worker_create,
         name="community_worker_create"),
    path("community-workers/<id:worker_id>/", community.community_worker_detail,
         name="community_worker"),
    path("community-workers/<id:worker_id>/edit", community.community_worker_edit,
         name="community_worker_edit"),
    path("community-workers/<id:worker_id>/grade", community.community_worker_regrade,
         name="community_worker_regrade"),
    path("community-workers/<id:worker_id>/appraisals/new", community.appraisal_add,
         name="appraisal_add"),
    path("staffing/", community.staffing, name="staffing"),
    path("staffing/export.xlsx", community.staffing_export, name="staffing_export"),
    path("import/<str:kind>", imports.worker_import, name="import"),
    path("import/<str:kind>/template.xlsx", imports.worker_import_template,
         name="import_template"),
]
