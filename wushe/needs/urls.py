from django.urls import path

from wushe.needs.views import budget, detail, ideas, intake, menu, public, queue

app_name = "needs"
urlpatterns = [
    # staff
    path("", queue.need_queue, name="queue"),
    path("new", intake.need_intake, name="intake"),
    path("grid", intake.grid_report, name="grid_report"),
    path("import", menu.need_import, name="import"),
    path("menu", menu.demand_menu, name="menu"),
    path("<id:need_id>/", detail.need_detail, name="detail"),
    path("<id:need_id>/act/<str:action>", detail.need_act, name="act"),
    path("<id:need_id>/reveal", detail.need_reveal, name="reveal"),
    path("assignments/<id:assignment_id>/<str:action>", detail.assignment_act,
         name="assignment_act"),
    path("ideas/", ideas.idea_board, name="ideas"),
    path("ideas/new", ideas.idea_create, name="idea_create"),
    path("ideas/<id:idea_id>/", ideas.idea_detail, name="idea"),
    path("ideas/<id:idea_id>/comment", ideas.idea_comment, name="idea_comment"),
    path("ideas/<id:idea_id>/decide", ideas.idea_decide, name="idea_decide"),
    path("ideas/<id:idea_id>/paper-support", budget.idea_paper_support,
         name="idea_paper_support"),
    path("ideas/<id:idea_id>/allocate", budget.idea_allocate, name="idea_allocate"),
    path("budgets/", budget.budget_list, name="budgets"),
    path("budgets/set", budget.budget_set, name="budget_set"),
    path("budgets/<id:budget_id>/", budget.budget_detail, name="budget"),
    # public (no account)
    path("submit", public.public_submit, name="public_submit"),
    path("track", public.public_track_lookup, name="track_lookup"),
    path("track/<str:code>", public.public_track, name="track"),
    path("track/<str:code>/rate", public.public_rate, name="rate"),
    path("track/<str:code>/sms", public.public_sms_confirm, name="sms_confirm"),
    path("track/<str:code>/sms/resend", public.public_sms_resend, name="sms_resend"),
    path("ideas/submit", public.public_idea, name="public_idea"),
    path("ideas/public/<str:code>", budget.public_idea_detail, name="public_idea_detail"),
]
