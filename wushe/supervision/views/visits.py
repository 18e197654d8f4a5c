"""One supervision: its page, recording it (the four checks), rescheduling, marking it missed,
its rectification items; and generating a project's schedule."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import WusheError
from wushe.supervision import forms, selectors, services
from wushe.supervision.models import VisitStatus
from wushe.supervision.views.common import MANAGE, VIEW, action_page
from wushe.web.pages import breadcrumb, render_page


def _back(supervision_id: int) -> str:
    return reverse("supervision:visit", kwargs={"supervision_id": supervision_id})


@login_required
@never_cache
@require_GET
def visit_detail(request: HttpRequest, supervision_id: int) -> HttpResponse:
    actor = request.user
    s = selectors.supervision_get(actor=actor, supervision_id=supervision_id)
    can_manage = scope.covers(actor, MANAGE, s.region_path)
    return render_page(request, "supervision/visit.html", {
        "s": s, "breadcrumb": breadcrumb(actor, s.region), "tab": "calendar",
        "items": list(selectors.rectification_list(actor=actor, supervision=s)),
        "indicators": selectors.project_indicators(actor=actor, project=s.project)
        if s.project is not None else [],
        "can_manage": can_manage,
        "can_record": can_manage and s.is_visit and s.status != VisitStatus.DONE,
        "can_reschedule": can_manage and s.is_visit and s.status != VisitStatus.DONE,
        "can_miss": can_manage and s.is_overdue,
        "can_rectify": can_manage and s.status == VisitStatus.DONE,
    })


def _managed(request: HttpRequest, supervision_id: int) -> Any:
    s = selectors.supervision_get(actor=request.user, supervision_id=supervision_id)
    scope.require(request.user, MANAGE, s, view_perm=VIEW)
    return s


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_record(request: HttpRequest, supervision_id: int) -> HttpResponse:
    s = _managed(request, supervision_id)
    initial = {"spent_amount": "", "staff_on_post": ""}

    def call(d: dict[str, Any]) -> Any:
        return services.supervision_record(actor=request.user, supervision=s, **d)

    return action_page(
        request, form=forms.RecordForm(request.POST or None, initial=initial), call=call,
        title=_("Record the %(kind)s of %(day)s") % {"kind": s.get_kind_display(),
                                                       "day": s.scheduled_on},
        back=_back(s.pk), done=_("The visit has been recorded."), submit_label=pgettext("supervision", "Record"),
        template="supervision/record.html",
        context={"s": s, "indicators": selectors.project_indicators(actor=request.user,
                                                                    project=s.project)
                 if s.project is not None else []})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_reschedule(request: HttpRequest, supervision_id: int) -> HttpResponse:
    s = _managed(request, supervision_id)
    return action_page(
        request, form=forms.RescheduleForm(request.POST or None), back=_back(s.pk),
        call=lambda d: services.supervision_reschedule(actor=request.user, supervision=s, **d),
        title=_("Reschedule the %(kind)s of %(day)s") % {"kind": s.get_kind_display(),
                                                           "day": s.scheduled_on},
        done=_("The visit has been rescheduled."), submit_label=_("Reschedule"),
        context={"note": _("The new date must be a working day, today or later.")})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def visit_miss(request: HttpRequest, supervision_id: int) -> HttpResponse:
    s = _managed(request, supervision_id)
    return action_page(
        request, form=forms.MissForm(request.POST or None), back=_back(s.pk),
        call=lambda d: services.supervision_miss(actor=request.user, supervision=s, **d),
        title=_("Mark the %(kind)s of %(day)s as missed") % {"kind": s.get_kind_display(),
                                                               "day": s.scheduled_on},
        done=_("The visit has been marked as missed."), submit_label=_("Mark as missed"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rectification_add(request: HttpRequest, supervision_id: int) -> HttpResponse:
    s = _managed(request, supervision_id)
    return action_page(
        request, form=forms.RectificationForm(request.POST or None), back=_back(s.pk),
        call=lambda d: services.rectification_add(actor=request.user, supervision=s, **d),
        title=_("Add a rectification item"), done=_("The rectification item has been added."),
        submit_label=_("Add"))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def rectification_close(request: HttpRequest, rectification_id: int) -> HttpResponse:
    r = selectors.rectification_get(actor=request.user, rectification_id=rectification_id)
    scope.require(request.user, MANAGE, r, view_perm=VIEW)
    return action_page(
        request, form=forms.RectificationCloseForm(request.POST or None),
        back=_back(r.supervision_id),
        call=lambda d: services.rectification_close(actor=request.user, rectification=r, **d),
        title=_("Close the rectification item"), submit_label=_("Close the item"),
        done=_("The rectification item has been closed."), context={"note": r.item})


@login_required
@require_POST
def schedule_generate(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project panel's button: plan the project's visits (idempotent)."""
    project = selectors.project_get(actor=request.user, project_id=project_id)
    try:
        made = services.schedule_generate(actor=request.user, project=project)
    except WusheError as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, ngettext("%(n)d visit has been planned.",
                                           "%(n)d visits have been planned.",
                                           len(made)) % {"n": len(made)}
                         if made else _("The schedule was already complete."))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = _next_for(project.pk)
    return redirect(target)


def _next_for(project_id: int) -> str:
    return reverse("projects:detail", kwargs={"project_id": project_id}) + "#supervision"
