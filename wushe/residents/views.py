"""Residents in care and hardship ledgers: lists, profile pages with masked details revealed
for a stated purpose, ledgers with their members and the .xlsx export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.accounts.models import User
from wushe.core.errors import NotFound, ValidationFailed, WusheError
from wushe.core.excel import XLSX, workbook_bytes
from wushe.needs import perms
from wushe.needs.views.common import filter_regions, indent
from wushe.people.selectors import person_get, person_lookup
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import region_get, regions_where
from wushe.residents import selectors, services
from wushe.residents.models import (
    CARE_TAGS,
    SENSITIVE_FIELDS,
    CareProfile,
    RiskLevel,
    TargetGroup,
)
from wushe.web import imports
from wushe.web.forms import FilterForm, PageForm, set_choices
from wushe.web.pages import Submitted, add_service_error, breadcrumb, paginate, render_page, submit

FIELD_LABELS = {"details": gettext_lazy("Situation (health, hardship)"),
                "guardian_info": gettext_lazy("Guardian and contact")}


class ProfileFilterForm(FilterForm):
    q = forms.CharField(label=gettext_lazy("Name starts with"), required=False, max_length=20)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    target_group = forms.ChoiceField(label=gettext_lazy("Target group"), required=False)
    tag = forms.ChoiceField(label=gettext_lazy("Sub-tag"), required=False)
    risk_level = forms.ChoiceField(label=gettext_lazy("Risk"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False, choices=[
        ("active", gettext_lazy("In care")), ("closed", gettext_lazy("Closed")),
        ("", gettext_lazy("All"))])

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", regions)
        set_choices(self, "target_group", [("", _("Any")), *TargetGroup.choices])
        set_choices(self, "tag", [("", _("Any")), *((k, v[1]) for k, v in CARE_TAGS.items())])
        set_choices(self, "risk_level", [("", _("Any")), *RiskLevel.choices])


@login_required
@never_cache
@require_GET
def profile_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.CARE_VIEW):
        raise NotFound()
    form = ProfileFilterForm(request.GET or None, regions=filter_regions(actor))
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    filters = selectors.ProfileFilters(
        q=d.get("q", ""), region_code=d.get("region", ""), target_group=d.get("target_group", ""),
        tag=d.get("tag", ""), risk_level=d.get("risk_level", ""),
        status=d.get("status", "active") if form.is_bound else "active")
    status = 400 if form.errors else 200
    try:
        page = selectors.profile_page(actor=actor, filters=filters, number=request.GET.get("page"))
    except WusheError as exc:
        add_service_error(form, exc)
        page, status = paginate(request, []), exc.status
    return render_page(request, "residents/list.html", {
        "form": form, "page": page, "counts": selectors.profile_counts(actor=actor),
        "can_create": perms.has(actor, perms.CARE_MANAGE),
        "can_import": perms.has(actor, perms.CARE_MANAGE),  # as the importer's check
    }, partial="results", status=status)


def _workers(region_path: str) -> list[tuple[str, str]]:
    return [("", "—"), *((str(u.pk), str(u)) for u in selectors.workers_for(region_path))]


class ProfileForm(PageForm):
    id_number = forms.CharField(label=gettext_lazy("Resident's ID number"), max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}),
                                help_text=gettext_lazy("The resident must be registered in People."))
    target_group = forms.ChoiceField(label=gettext_lazy("Target group"), choices=TargetGroup.choices)
    tags = forms.MultipleChoiceField(label=gettext_lazy("Sub-tags"), required=False,
                                     widget=forms.CheckboxSelectMultiple)
    risk_level = forms.ChoiceField(label=gettext_lazy("Risk"), choices=RiskLevel.choices)
    details = forms.CharField(label=FIELD_LABELS["details"], max_length=2000, required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))
    guardian_info = forms.CharField(label=FIELD_LABELS["guardian_info"], max_length=500,
                                    required=False, widget=forms.Textarea(attrs={"rows": 2}))
    assigned_worker = forms.ChoiceField(label=gettext_lazy("Assigned social worker"),
                                        required=False)
    last_visit_on = forms.DateField(label=gettext_lazy("Last visit"), required=False,
                                    widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, workers: list[tuple[str, str]], edit: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "tags", [(k, v[1]) for k, v in CARE_TAGS.items()])
        set_choices(self, "assigned_worker", workers)
        if edit:
            for name in ("id_number", "target_group"):
                del self.fields[name]
            for name in SENSITIVE_FIELDS:
                self.fields[name].help_text = _("Leave blank to keep the current text.")


def _worker(value: str) -> User | None:
    return selectors.worker_get(value) if value else None


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.CARE_MANAGE):
        raise NotFound()
    person = None
    if request.GET.get("person"):
        try:
            person = person_get(actor=actor, person_id=int(request.GET["person"]))
        except ValueError:
            raise NotFound() from None
    workers = _workers(person.region_path if person else "")
    form = ProfileForm(request.POST or None, workers=workers)
    if person is not None:
        form.fields["id_number"].required = False
        form.fields["id_number"].widget.attrs["placeholder"] = person.masked_id_number
    outcome = Submitted(False)
    if request.method == "POST":
        def create(d: dict[str, Any]) -> CareProfile:
            who = person or person_lookup(actor=actor, id_number=d["id_number"])
            if who is None:
                raise ValidationFailed("在您的辖区内未找到该身份证号的人员,请先在“人员”中登记",
                                       "No person with this ID number is registered in your "
                                       "area; register them in People first", field="id_number")
            return services.profile_create(
                actor=actor, person=who, target_group=d["target_group"], tags=d["tags"],
                risk_level=d["risk_level"], details=d["details"],
                guardian_info=d["guardian_info"], assigned_worker=_worker(d["assigned_worker"]),
                last_visit_on=d["last_visit_on"])
        outcome = submit(form, create)
        if outcome.done:
            messages.success(request, _("The care profile has been opened."))
            return redirect("residents:detail", profile_id=outcome.result.pk)
    return render_page(request, "residents/form.html", {"form": form, "person": person,
                                                        "profile": None}, status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest, profile_id: int) -> HttpResponse:
    actor = request.user
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    if not scope.covers(actor, perms.CARE_MANAGE, profile.region_path):
        raise NotFound()
    form = ProfileForm(request.POST or None, workers=_workers(profile.region_path), edit=True,
                       initial={"tags": profile.tag_list, "risk_level": profile.risk_level,
                                "assigned_worker": str(profile.assigned_worker_id or ""),
                                "last_visit_on": profile.last_visit_on})
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.profile_update(
            actor=actor, profile=profile, tags=d["tags"], risk_level=d["risk_level"],
            details=d["details"] or None, guardian_info=d["guardian_info"] or None,
            assigned_worker=_worker(d["assigned_worker"]), last_visit_on=d["last_visit_on"]))
        if outcome.done:
            messages.success(request, _("The changes have been saved."))
            return redirect("residents:detail", profile_id=profile.pk)
    return render_page(request, "residents/form.html", {"form": form, "profile": profile,
                                                        "person": profile.person},
                       status=outcome.status)


class RevealForm(PageForm):
    field = forms.ChoiceField(choices=[(f, f) for f in SENSITIVE_FIELDS], widget=forms.HiddenInput)
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)


class CloseForm(PageForm):
    reason = forms.CharField(label=gettext_lazy("Reason for closing"), max_length=200)


class AddToLedgerForm(PageForm):
    ledger = forms.ChoiceField(label=gettext_lazy("Ledger"))
    note = forms.CharField(label=gettext_lazy("Note"), max_length=200, required=False)


def _detail_context(request: HttpRequest, profile: CareProfile, **extra: Any) -> dict[str, Any]:
    from wushe.needs.access import visible_needs

    actor = request.user
    ledgers = [lg for lg in selectors.ledger_list(actor=actor)
               if profile.region_path.startswith(lg.region_path)
               and (not lg.target_group or lg.target_group == profile.target_group)]
    add_form = extra.pop("add_form", AddToLedgerForm())
    set_choices(add_form, "ledger", [(str(lg.pk), lg.name) for lg in ledgers])
    revealed: dict[str, str] = extra.pop("revealed", {})
    return {
        "profile": profile, "person": profile.person, "breadcrumb": breadcrumb(actor, profile.region),
        "fields": [{"name": f, "label": FIELD_LABELS[f], "has": bool(getattr(profile, f)),
                    "value": revealed.get(f)} for f in SENSITIVE_FIELDS],
        "can_unmask": scope.covers(actor, perms.CARE_UNMASK, profile.region_path),
        "can_manage": scope.covers(actor, perms.CARE_MANAGE, profile.region_path),
        "memberships": selectors.profile_ledgers(actor=actor, profile=profile),
        "needs": list(visible_needs(actor).filter(care_profile=profile)
                      .order_by("-received_at")[:20]),
        "add_form": add_form, "close_form": extra.pop("close_form", CloseForm()),
        "reveal_form": extra.pop("reveal_form", RevealForm()), **extra,
    }


@login_required
@never_cache
@require_GET
def profile_detail(request: HttpRequest, profile_id: int) -> HttpResponse:
    profile = selectors.profile_get(actor=request.user, profile_id=profile_id)
    return render_page(request, "residents/detail.html", _detail_context(request, profile))


@login_required
@never_cache
@require_POST
def profile_reveal(request: HttpRequest, profile_id: int) -> HttpResponse:
    actor = request.user
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    form = RevealForm(request.POST)
    revealed: dict[str, str] = {}
    status = 400
    if form.is_valid():
        try:
            field = form.cleaned_data["field"]
            revealed[field] = services.profile_unmask(actor=actor, profile=profile, field=field,
                                                      purpose=form.cleaned_data["purpose"])
            status = 200
        except WusheError as exc:
            if isinstance(exc, NotFound):
                raise
            add_service_error(form, exc)
            status = exc.status
    return render_page(request, "residents/detail.html",
                       _detail_context(request, profile, reveal_form=form, revealed=revealed),
                       status=status)


@login_required
@require_POST
def profile_close(request: HttpRequest, profile_id: int) -> HttpResponse:
    actor = request.user
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    form = CloseForm(request.POST)
    outcome = submit(form, lambda d: services.profile_close(actor=actor, profile=profile,
                                                            reason=d["reason"]))
    if outcome.done:
        messages.success(request, _("The profile has been closed."))
        return redirect("residents:detail", profile_id=profile.pk)
    return render_page(request, "residents/detail.html",
                       _detail_context(request, profile, close_form=form), status=outcome.status)


@login_required
@require_POST
def profile_add_to_ledger(request: HttpRequest, profile_id: int) -> HttpResponse:
    actor = request.user
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    form = AddToLedgerForm(request.POST)
    set_choices(form, "ledger", [(str(lg.pk), lg.name) for lg in selectors.ledger_list(actor=actor)])
    outcome = submit(form, lambda d: services.ledger_add(
        actor=actor, ledger=selectors.ledger_get(actor=actor, ledger_id=d["ledger"]),
        profile=profile, note=d["note"]))
    if outcome.done:
        messages.success(request, _("Added to the ledger."))
        return redirect("residents:detail", profile_id=profile.pk)
    return render_page(request, "residents/detail.html",
                       _detail_context(request, profile, add_form=form), status=outcome.status)


# --- imports ---------------------------------------------------------------------------------
# The shared import page (a job with a progress bar); the importer's check_permission answers
# 404 to whoever may not import.

@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def profile_import(request: HttpRequest) -> HttpResponse:
    """A community's care roster (一老一小一困) as care profiles."""
    return _import_page(
        request, "care-profiles", back="residents:list", here="residents:import",
        intro=_("One row per resident and target group. A resident not yet registered in "
                "People is registered in the community given. The community may be written "
                "by name or code; sub-tags such as 空巢、独居 or 低保 are separated by 、 or "
                "commas. Residents who already have an open profile in the group are skipped, "
                "so importing the same file again adds nothing."))


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def ledger_import(request: HttpRequest) -> HttpResponse:
    """A hardship ledger roster (特殊困难群体台账) as ledger entries."""
    return _import_page(
        request, "ledger-entries", back="residents:ledgers", here="residents:ledger_import",
        intro=_("Name the ledger as it appears in the ledger list. Each resident must already "
                "have an open care profile (import the care roster first); residents already "
                "on the ledger are skipped."))


def _import_page(request: HttpRequest, kind: str, *, back: str, here: str,
                 intro: str) -> HttpResponse:
    """The shared import page for ``kind``, or its template with ``?template=1``."""
    if request.GET.get("template"):
        return imports.import_template(request, kind)
    return imports.import_page(request, kind=kind, back=reverse(back),
                               template_url=reverse(here) + "?template=1", intro=intro)


# --- ledgers ---------------------------------------------------------------------------------

class LedgerForm(PageForm):
    region = forms.ChoiceField(label=gettext_lazy("Kept by"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    target_group = forms.ChoiceField(label=gettext_lazy("Target group"), required=False)
    description = forms.CharField(label=gettext_lazy("Description"), max_length=1000,
                                  required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, regions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", [(r.code, indent(r)) for r in regions])
        set_choices(self, "target_group", [("", _("Mixed")), *TargetGroup.choices])


@login_required
@never_cache
@require_GET
def ledger_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.CARE_VIEW):
        raise NotFound()
    return render_page(request, "residents/ledgers.html", {
        "ledgers": list(selectors.ledger_list(actor=actor)),
        "can_create": perms.has(actor, perms.CARE_MANAGE),
        "can_import": perms.has(actor, perms.CARE_MANAGE)})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def ledger_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.CARE_MANAGE):
        raise NotFound()
    regions = regions_where(actor, perms.CARE_MANAGE, (RegionLevel.DISTRICT, RegionLevel.STREET,
                                                      RegionLevel.COMMUNITY))
    form = LedgerForm(request.POST or None, regions=regions)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.ledger_create(
            actor=actor, region=region_get(actor=actor, code=d["region"]), name=d["name"],
            description=d["description"], target_group=d["target_group"], keeper=signed_in(actor)))
        if outcome.done:
            messages.success(request, _("The ledger has been created."))
            return redirect("residents:ledger", ledger_id=outcome.result.pk)
    return render_page(request, "residents/ledger_form.html", {"form": form},
                       status=outcome.status)


@login_required
@never_cache
@require_GET
def ledger_detail(request: HttpRequest, ledger_id: int) -> HttpResponse:
    actor = request.user
    ledger = selectors.ledger_get(actor=actor, ledger_id=ledger_id)
    members = selectors.ledger_members(actor=actor, ledger=ledger)
    if request.GET.get("format") == "xlsx":
        rows = [(e.profile.region.name, e.profile.person.masked_name,
                 e.profile.person.masked_id_number, e.profile.get_target_group_display(),
                 "、".join(e.profile.tag_labels()), e.profile.get_risk_level_display(),
                 e.profile.last_visit_on, e.note) for e in members]
        services.ledger_exported(actor=actor, ledger=ledger, rows=len(rows))
        content = workbook_bytes([(ledger.name, [
            "社区 Community", "姓名 Name", "身份证号 ID number", "类别 Group", "标签 Sub-tags",
            "风险 Risk", "最近走访 Last visit", "备注 Note"], rows)])
        response = HttpResponse(content, content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="ledger-{ledger.pk}.xlsx"'
        return response
    return render_page(request, "residents/ledger.html", {
        "ledger": ledger, "page": paginate(request, members),
        "can_manage": scope.covers(actor, perms.CARE_MANAGE, ledger.region_path)})


@login_required
@require_POST
def ledger_remove(request: HttpRequest, ledger_id: int, profile_id: int) -> HttpResponse:
    actor = request.user
    ledger = selectors.ledger_get(actor=actor, ledger_id=ledger_id)
    profile = selectors.profile_get(actor=actor, profile_id=profile_id)
    try:
        services.ledger_remove(actor=actor, ledger=ledger, profile=profile)
    except WusheError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("Removed from the ledger."))
    return redirect("residents:ledger", ledger_id=ledger.pk)
