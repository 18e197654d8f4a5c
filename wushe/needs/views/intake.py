"""Staff intake: the undifferentiated window (无差别综合窗口, 只进一门、只跑一窗), the hotline,
and grid workers' reports. A likely duplicate is shown with links before it is saved."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wushe.core.errors import NotFound, ValidationFailed, WusheError
from wushe.needs import hooks, perms, services
from wushe.needs.categories import Channel, NeedGroup, Urgency, category_choices
from wushe.needs.views.common import indent
from wushe.people.selectors import person_lookup
from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import region_get, regions_where
from wushe.web.forms import PageForm, set_choices
from wushe.web.pages import add_service_error, render_page


class IntakeForm(PageForm):
    channel = forms.ChoiceField(label=gettext_lazy("Channel"))
    region = forms.ChoiceField(label=gettext_lazy("Community"))
    category = forms.ChoiceField(label=gettext_lazy("Category"))
    target_group = forms.ChoiceField(label=gettext_lazy("Target group"), choices=NeedGroup.choices)
    urgency = forms.ChoiceField(label=gettext_lazy("Urgency"), choices=Urgency.choices)
    description = forms.CharField(label=gettext_lazy("What is needed"), max_length=2000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    requester_id_number = forms.CharField(
        label=gettext_lazy("Requester's ID number (if registered)"), max_length=30,
        required=False, widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Links the need to the registered person and their care profile."))
    contact_name = forms.CharField(label=gettext_lazy("Contact name"), max_length=50,
                                   required=False)
    contact_phone = forms.CharField(label=gettext_lazy("Contact phone"), max_length=30,
                                    required=False,
                                    widget=forms.TextInput(attrs={"type": "tel",
                                                                  "autocomplete": "off"}))
    confirm_duplicate = forms.BooleanField(
        label=gettext_lazy("I have checked: this is not a duplicate"), required=False)

    def __init__(self, *args: Any, regions: list[Region], grid: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channels: list[tuple[str, Any]] = [(Channel.GRID, Channel.GRID.label)] if grid else \
            [(Channel.WINDOW, Channel.WINDOW.label), (Channel.HOTLINE, Channel.HOTLINE.label)]
        set_choices(self, "channel", channels)
        set_choices(self, "region", [(r.code, indent(r)) for r in regions])
        set_choices(self, "category", category_choices())
        if grid:
            self.fields["region"].label = gettext_lazy("Grid")


def _intake(request: HttpRequest, *, grid: bool) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.NEED_INTAKE):
        raise NotFound()
    level = RegionLevel.GRID if grid else RegionLevel.COMMUNITY
    regions = regions_where(actor, perms.NEED_INTAKE, (level,))
    form = IntakeForm(request.POST or None, regions=regions, grid=grid)
    duplicates: list[dict[str, Any]] = []
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                requester = None
                if d["requester_id_number"]:
                    requester = person_lookup(actor=actor, id_number=d["requester_id_number"])
                    if requester is None:
                        raise ValidationFailed(
                            "在您的辖区内未找到该身份证号的人员", "No person with this ID number is "
                            "registered in your area", field="requester_id_number")
                profile = None
                if requester is not None:
                    profile = next((p for p in hooks.care_profiles_of(actor=actor,
                                                                  person_id=requester.pk)
                                    if p.status == "active"), None)
                need = services.need_intake(
                    actor=actor, channel=d["channel"],
                    region=region_get(actor=actor, code=d["region"]), category=d["category"],
                    description=d["description"], target_group=d["target_group"],
                    urgency=d["urgency"], contact_name=d["contact_name"],
                    contact_phone=d["contact_phone"], requester=requester, care_profile=profile,
                    confirm_duplicate=d["confirm_duplicate"])
            except WusheError as exc:
                if exc.code == "possible_duplicate":
                    duplicates = list(exc.details)
                add_service_error(form, exc, field_map={"id_number": "requester_id_number",
                                                        "phone": "contact_phone"})
                status = exc.status
            else:
                messages.success(request, _("The need has been recorded and accepted. "
                                            "Tracking code: %(code)s") % {"code": need.tracking_code})
                return redirect("needs:detail", need_id=need.pk)
    return render_page(request, "needs/intake.html", {
        "form": form, "duplicates": duplicates, "grid": grid}, status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def need_intake(request: HttpRequest) -> HttpResponse:
    return _intake(request, grid=False)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def grid_report(request: HttpRequest) -> HttpResponse:
    return _intake(request, grid=True)
