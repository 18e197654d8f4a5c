"""The anonymous survey of service recipients (no account): the project's name, its
organisation and street, five questions answered 1–5. Nothing personal is asked or shown."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wushe.core.context import client_ip
from wushe.core.errors import WusheError
from wushe.evaluation import forms, selectors, services, survey
from wushe.evaluation.models import EvalStatus
from wushe.web.pages import add_service_error, render_page


@never_cache
@require_http_methods(["GET", "POST"])
def survey_page(request: HttpRequest, token: str) -> HttpResponse:
    survey.hit(client_ip(request.META), "view")  # type: ignore[arg-type]
    ev = selectors.survey_view(token=token)  # NotFound → the 404 page
    form = forms.SurveyForm(request.POST or None)
    status, done = 200, False
    if request.method == "POST":
        if form.is_valid():
            try:
                survey.hit(client_ip(request.META))  # type: ignore[arg-type]
                services.survey_submit(token=token, answers=form.answers(),
                                       comment=form.cleaned_data["comment"])
            except WusheError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                done = True
        else:
            status = 400
    return render_page(request, "evaluation/survey.html", {
        "project_name": ev.project.name, "org_name": ev.provider.name,
        "region_name": ev.region.name, "stage": ev.get_stage_display(),
        "closed": ev.status == EvalStatus.DECIDED, "form": form, "done": done,
    }, status=status)
