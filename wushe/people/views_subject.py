"""个人信息查阅复制: a copy of a person's data on request (people/subject_access.py).

The ID number goes by POST only (never in a URL or the browser's history) and is a sensitive
POST parameter (kept out of error reports); the job's page and its files are its starter's.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from wushe.core.errors import WusheError
from wushe.people import subject_access
from wushe.web.forms import PageForm
from wushe.web.pages import XLSX, add_service_error, render_page

CONTENT_TYPES = {"xlsx": XLSX, "json": "application/json"}


class NoEchoInput(forms.TextInput):
    """A text input that never writes its value back into the page (a refused ID number is
    not echoed into the answer, the browser's cache or a screenshot): it is typed again."""

    def format_value(self, value: object) -> None:
        return None


class SubjectAccessForm(PageForm):
    id_number = forms.CharField(
        label=_("ID number"), max_length=40,
        widget=NoEchoInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    purpose = forms.ChoiceField(label=_("Purpose"), choices=subject_access.Purpose.choices,
                                widget=forms.RadioSelect)
    detail = forms.CharField(
        label=_("Purpose details"), max_length=200,
        help_text=_("Who asked, how their identity was checked, and the request's reference."))


@login_required
@never_cache
@sensitive_post_parameters("id_number")
@require_http_methods(["GET", "POST"])
def subject_access_start(request: HttpRequest) -> HttpResponse:
    actor = request.user
    subject_access.require_perm(actor)
    form = SubjectAccessForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                job_id = subject_access.subject_access_start(
                    actor=actor, id_number=data["id_number"], purpose=data["purpose"],
                    detail=data["detail"])
            except WusheError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                return redirect("people:subject_access_job", job_id=job_id)
    return render_page(request, "people/subject_access.html",
                       {"form": form, "days": settings.WUSHE_SUBJECT_ACCESS_DAYS},
                       status=status)


@login_required
@never_cache
@require_GET
def subject_access_job(request: HttpRequest, job_id: str) -> HttpResponse:
    state = subject_access.job_state(actor=request.user, job_id=job_id)
    return render_page(request, "people/subject_access_job.html", {"job": state},
                       partial="progress")


@login_required
@never_cache
@require_GET
def subject_access_file(request: HttpRequest, job_id: str, fmt: str) -> FileResponse:
    path, name = subject_access.job_file(actor=request.user, job_id=job_id, fmt=fmt)
    return FileResponse(path.open("rb"), as_attachment=True, filename=name,
                        content_type=CONTENT_TYPES[fmt])
