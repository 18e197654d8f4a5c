"""The national volunteer service record export page (volunteers/national.py): a team, a
period and a stated purpose; the export runs as a page job and its page offers the file."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied
from wushe.volunteers import access, national, selectors
from wushe.volunteers.views.forms import date_field, team_choices
from wushe.web.forms import PageForm, set_choices
from wushe.web.pages import Submitted, render_page, submit


class NationalExportForm(PageForm):
    team_id = forms.ChoiceField(label=gettext_lazy("Recording team (with the teams below it)"))
    date_from = date_field(gettext_lazy("Service dates from"))
    date_to = date_field(gettext_lazy("to"))
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose of the export"),
                                choices=[("", "—"), *national.PURPOSES.items()])
    purpose_text = forms.CharField(
        label=gettext_lazy("Purpose, in your words (recorded with every ID number shown)"),
        max_length=150)

    def __init__(self, *args: Any, teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "team_id", team_choices(teams))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def national_export(request: HttpRequest) -> HttpResponse:
    actor = request.user
    teams = selectors.my_teams(actor=actor, perm=access.MANAGE)
    if not teams:
        raise PermissionDenied()
    today = timezone.localdate()
    form = NationalExportForm(request.POST or None, teams=teams, initial={
        "date_from": today.replace(month=1, day=1), "date_to": today})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: national.national_export_start(
            actor=actor, raw=d, back=reverse("volunteers:national_export")))
        if outcome.done:
            return redirect("web:export_job", job_id=outcome.result.job_id)
    may_unmask = scope.has_perm(actor, national.UNMASK_PERM)
    intro = _("Confirmed service records of the team and every team below it, in the columns "
              "of the national volunteer service system (民政部《志愿服务记录与证明出具办法》). "
              "The export is recorded with its purpose.")
    intro += " " + (_("ID numbers are in clear for the volunteers whose community you may "
                      "unmask; each one shown is logged with the purpose.") if may_unmask else
                    _("You may not see ID numbers: they are masked in the file."))
    return render_page(request, "volunteers/form.html", {
        "form": form, "title": _("National volunteer record export"),
        "cancel": reverse("volunteers:records"), "intro": intro}, status=outcome.status)
