"""People pages: list and search, register, detail with masked values, reveal with a purpose,
consents, edit. Thin: reads through selectors, writes through services."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied, ValidationFailed, WusheError
from wushe.core.logmask import looks_like_identifier
from wushe.people import selectors, services
from wushe.people.models import SENSITIVE_FIELDS, ConsentPurpose, Person
from wushe.regions.models import Region, RegionLevel
from wushe.regions.selectors import region_get, region_list
from wushe.web import imports, privatesearch
from wushe.web.forms import FilterForm, PageForm, set_choices
from wushe.web.pages import (
    Submitted,
    add_service_error,
    breadcrumb,
    is_partial,
    paginate,
    render_page,
    submit,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

FIELD_LABELS = {
    "id_number": gettext_lazy("ID number"),
    "phone": gettext_lazy("Phone"),
    "address": gettext_lazy("Address"),
}

# Common reasons to see a sensitive field; the free text adds the case at hand.
REVEAL_PURPOSES = [
    ("visit", gettext_lazy("Home visit or service delivery")),
    ("assistance", gettext_lazy("Checking eligibility for assistance")),
    ("contact", gettext_lazy("Contacting the resident about a request")),
    ("correction", gettext_lazy("Correcting registered information")),
    ("emergency", gettext_lazy("Emergency")),
]


def _indent(region: Region) -> str:
    depth = {RegionLevel.STREET: 0, RegionLevel.COMMUNITY: 1, RegionLevel.GRID: 2}.get(
        RegionLevel(region.level), 0)
    return "　" * depth + region.name


# --- list -----------------------------------------------------------------------------------

NAME_IN_URL = gettext_lazy(
    "Search by name with the search form: a name must not appear in the address.")


class PersonFilterForm(FilterForm):
    q = forms.CharField(
        label=gettext_lazy("Search"), required=False, max_length=50,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text=gettext_lazy("Full ID number, phone number or full name (exact); choose a community "
                               "to find a name there"))
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)

    def __init__(self, *args: Any, regions: list[Region], via_url: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.via_url = via_url
        set_choices(self, "region", [("", _("All my area")),
                                     *((r.code, _indent(r)) for r in regions)])

    def clean_q(self) -> str:
        q: str = self.cleaned_data.get("q") or ""
        if self.via_url and looks_like_identifier(q):
            raise forms.ValidationError(privatesearch.IDENTIFIER_IN_URL, code="identifier_in_url")
        if self.via_url and q.strip():  # a name is personal data too: it goes by the form
            raise forms.ValidationError(NAME_IN_URL, code="name_in_url")
        return q


def _filter_regions(actor: Actor) -> list[Region]:
    """Streets and communities the actor sees: the choices of the region filter."""
    return list(region_list(actor=actor).filter(
        level__in=(RegionLevel.STREET, RegionLevel.COMMUNITY)).only("code", "name", "level"))


@login_required
@never_cache
@sensitive_post_parameters("q")
@require_http_methods(["GET", "POST"])
def person_list(request: HttpRequest) -> HttpResponse:
    """The search form posts (an ID number or a phone never goes in a URL, #22): a valid search
    is kept in the session and the page answers ``?s=<key>``; htmx gets the results at once and
    that address to show. A GET may still filter by region."""
    actor = request.user
    regions = _filter_regions(actor)
    if request.method == "POST":
        form = PersonFilterForm(request.POST, regions=regions)
        if not form.is_valid():
            return _person_results(request, form)
        search = {"q": form.cleaned_data["q"], "region": form.cleaned_data["region"]}
        try:  # a refused search (a wrong check digit …) is explained here and never kept
            selectors.person_search_check(
                selectors.PersonFilters(q=search["q"], region_code=search["region"]))
        except WusheError:
            return _person_results(request, form)
        key = privatesearch.search_save(request, "people", search)
        url = f"{reverse('people:list')}?{privatesearch.PARAM}={key}"
        if not is_partial(request):
            return redirect(url)
        request.GET = QueryDict(f"{privatesearch.PARAM}={key}")  # pagination links keep it
        response = _person_results(request, form)
        response["HX-Push-Url"] = url
        return response
    saved = privatesearch.search_load(request, "people")
    if saved is not None:
        form = PersonFilterForm(saved, regions=regions)
    else:
        data = {k: v for k, v in request.GET.items() if k in ("q", "region")}
        form = PersonFilterForm(data or None, regions=regions, via_url=True)
    return _person_results(request, form)


def _person_results(request: HttpRequest, form: PersonFilterForm) -> HttpResponse:
    actor = request.user
    filters = selectors.PersonFilters()
    if form.is_bound and form.is_valid():
        filters = selectors.PersonFilters(q=form.cleaned_data["q"],
                                          region_code=form.cleaned_data["region"])
    status = 400 if form.errors else 200
    try:
        page = selectors.person_page(actor=actor, filters=filters, number=request.GET.get("page"))
    except WusheError as exc:
        add_service_error(form, exc, field_map={"id_number": "q", "phone": "q"})
        page = paginate(request, [])
        status = exc.status
    return render_page(request, "people/list.html", {
        "form": form, "page": page, "can_create": scope.has_perm(actor, "people.create"),
    }, partial="results", status=status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def person_import(request: HttpRequest) -> HttpResponse:
    """The person roster import (the shared page, run as a job with a progress bar)."""
    if request.GET.get("template"):
        return imports.import_template(request, "people")
    return imports.import_page(request, kind="people", back=reverse("people:list"),
                               template_url=reverse("people:import") + "?template=1")


# --- create and edit ------------------------------------------------------------------------

class PersonForm(PageForm):
    region = forms.ChoiceField(label=gettext_lazy("Community or grid"))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=50)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=30, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", [(r.code, _indent(r)) for r in regions])


def _create_regions(actor: Actor) -> list[Region]:
    """Communities and grids where the actor may register people."""
    qs = region_list(actor=actor).filter(level__in=(RegionLevel.COMMUNITY, RegionLevel.GRID))
    return [r for r in qs.only("code", "name", "level", "path")
            if scope.covers(actor, "people.create", r.path)]


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, "people.create"):
        raise PermissionDenied()
    regions = _create_regions(actor)
    form = PersonForm(request.POST or None, regions=regions)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.person_create(
            actor=actor, region=region_get(actor=actor, code=d["region"]), name=d["name"],
            id_number=d["id_number"] or None, phone=d["phone"] or None, address=d["address"]))
        if outcome.done:
            messages.success(request, _("The person has been registered."))
            return redirect("people:detail", person_id=outcome.result.pk)
    status = outcome.status
    return render_page(request, "people/form.html", {"form": form, "person": None},
                       status=status)


class PersonEditForm(PageForm):
    """Blank keeps the stored value: the form never shows personal data in clear."""

    name = forms.CharField(label=gettext_lazy("Name"), max_length=50, required=False)
    id_number = forms.CharField(label=gettext_lazy("ID number"), max_length=30, required=False,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    phone = forms.CharField(label=gettext_lazy("Phone"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}))
    address = forms.CharField(label=gettext_lazy("Address"), max_length=200, required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {"name": person.masked_name, "id_number": person.masked_id_number,
                   "phone": person.masked_phone, "address": person.masked_address}
        for name, masked in current.items():
            self.fields[name].widget.attrs["placeholder"] = masked
            self.fields[name].help_text = _("Leave blank to keep the current value.")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = request.user
    person = selectors.person_get(actor=actor, person_id=person_id)
    scope.require(actor, "people.update", person, view_perm="people.view")
    form = PersonEditForm(request.POST or None, person=person)
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.person_update(
            actor=actor, person=person, **{k: v for k, v in d.items() if v}))
        if outcome.done:
            messages.success(request, _("The changes have been saved."))
            return redirect("people:detail", person_id=person.pk)
        person = selectors.person_get(actor=actor, person_id=person_id)  # refused: reload
    status = outcome.status
    return render_page(request, "people/form.html", {"form": form, "person": person},
                       status=status)


# --- detail and reveal ----------------------------------------------------------------------

class RevealForm(PageForm):
    field = forms.ChoiceField(choices=[(f, f) for f in SENSITIVE_FIELDS],
                              widget=forms.HiddenInput)
    reason = forms.ChoiceField(label=gettext_lazy("Purpose"), required=False)
    detail = forms.CharField(label=gettext_lazy("Details"), required=False, max_length=150,
                             widget=forms.TextInput(attrs={"autocomplete": "off"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "reason", [("", _("Choose a purpose…")), *REVEAL_PURPOSES])
        self.fields["detail"].widget.attrs["placeholder"] = _("The case at hand, e.g. a request number")

    def purpose(self) -> str:
        labels = dict(REVEAL_PURPOSES)
        reason = str(labels.get(self.cleaned_data.get("reason") or "", ""))
        detail = (self.cleaned_data.get("detail") or "").strip()
        return ": ".join(p for p in (reason, detail) if p)


class ConsentForm(PageForm):
    purpose = forms.ChoiceField(label=gettext_lazy("Purpose of use"),
                                choices=ConsentPurpose.choices)
    scope = forms.CharField(label=gettext_lazy("Scope of use"), max_length=300,
                            widget=forms.Textarea(attrs={"rows": 2}))
    sensitive = forms.BooleanField(label=gettext_lazy("Separate consent for sensitive personal data"),
                                   required=False)
    guardian_id_number = forms.CharField(
        label=gettext_lazy("Guardian's ID number"), max_length=30, required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        help_text=gettext_lazy("Required for a child under 14: the guardian must be registered."))
    guardian_relation = forms.CharField(label=gettext_lazy("Relation to the child"),
                                        max_length=20, required=False)


def _reveal_item(person: Person, field: str, *, value: str | None = None,
                 form: RevealForm | None = None) -> dict[str, Any]:
    return {"name": field, "label": FIELD_LABELS[field],
            "masked": getattr(person, f"masked_{field}"), "value": value,
            "form": form or RevealForm(initial={"field": field}, auto_id=f"id_{field}_%s")}


def _detail_context(request: HttpRequest, person: Person, **extra: Any) -> dict[str, Any]:
    actor = request.user
    reveal_form: RevealForm | None = extra.pop("reveal_form", None)
    reveal_field: str = extra.pop("reveal_field", "")
    revealed: dict[str, str] = extra.pop("revealed", {})
    age = person.age()
    context = {
        "person": person,
        "age": age,
        "fields": [_reveal_item(person, f, value=revealed.get(f),
                                form=reveal_form if f == reveal_field else None)
                   for f in SENSITIVE_FIELDS],
        "breadcrumb": breadcrumb(actor, person.region),
        "consents": list(selectors.consent_list(actor=actor, person=person)),
        "can_unmask": scope.covers(actor, "people.unmask", person.region_path),
        "can_update": scope.covers(actor, "people.update", person.region_path),
        "can_consent": scope.covers(actor, "consents.manage", person.region_path),
        "needs_guardian": age is None or age < settings.WUSHE_MINOR_AGE,
        "guardian_age": settings.WUSHE_GUARDIAN_CONSENT_AGE,
        "consent_form": ConsentForm(),
    }
    context.update(extra)
    return context


@login_required
@never_cache
@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = selectors.person_get(actor=request.user, person_id=person_id)
    return render_page(request, "people/detail.html", _detail_context(request, person))


@login_required
@never_cache
@require_POST
def person_reveal(request: HttpRequest, person_id: int) -> HttpResponse:
    """Show one sensitive field once, after a stated purpose; the service records the access."""
    actor = request.user
    person = selectors.person_get(actor=actor, person_id=person_id)
    field = request.POST.get("field", "")
    if field not in SENSITIVE_FIELDS:
        raise ValidationFailed("该字段不可查看", "This field cannot be revealed", field="field")
    form = RevealForm(request.POST, auto_id=f"id_{field}_%s")
    value: str | None = None
    status = 400
    if form.is_valid():
        try:
            value = services.person_unmask(actor=actor, person=person, field=field,
                                           purpose=form.purpose())
        except WusheError as exc:
            add_service_error(form, exc, field_map={"purpose": "detail"})
            status = exc.status
        else:
            status = 200
    if is_partial(request):
        return render_page(request, "people/detail.html", {
            "person": person, "can_unmask": True,
            "item": _reveal_item(person, field, value=value, form=form),
        }, partial="reveal", status=status)
    context = _detail_context(request, person, reveal_form=form, reveal_field=field,
                              revealed={field: value} if value is not None else {})
    return render_page(request, "people/detail.html", context, status=status)


# --- consents -------------------------------------------------------------------------------

@login_required
@never_cache
@require_POST
def consent_give(request: HttpRequest, person_id: int) -> HttpResponse:
    actor = request.user
    person = selectors.person_get(actor=actor, person_id=person_id)
    form = ConsentForm(request.POST)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            guardian = None
            if data["guardian_id_number"]:
                guardian = selectors.person_lookup(actor=actor, id_number=data["guardian_id_number"])
                if guardian is None:
                    raise ValidationFailed("在您的辖区内未找到该身份证号的人员,请先登记监护人",
                                           "No person with this ID number is registered in your "
                                           "area; register the guardian first",
                                           field="guardian_id_number")
            services.consent_give(
                actor=actor, person=person, purpose=data["purpose"], scope_text=data["scope"],
                sensitive=data["sensitive"], guardian=guardian,
                guardian_relation=data["guardian_relation"])
        except WusheError as exc:
            add_service_error(form, exc, field_map={
                "guardian": "guardian_id_number", "id_number": "guardian_id_number"})
            status = exc.status
        else:
            messages.success(request, _("The consent has been recorded."))
            return redirect(f"{_detail_url(person)}#consents")
    context = _detail_context(request, person, consent_form=form, consent_open=True)
    return render_page(request, "people/detail.html", context, status=status)


@login_required
@sensitive_post_parameters("guardian_id_number")
@require_http_methods(["GET", "POST"])
def guardian_lookup(request: HttpRequest, person_id: int) -> HttpResponse:
    """htmx: who the guardian's ID number points to, masked, inside the actor's scope. The
    number is posted, never in the URL (#22)."""
    actor = request.user
    person = selectors.person_get(actor=actor, person_id=person_id)
    if not is_partial(request) or request.method != "POST":  # a plain visit goes to the page
        return redirect(_detail_url(person))
    raw = request.POST.get("guardian_id_number", "").strip()
    guardian = error = None
    if raw:
        try:
            guardian = selectors.person_lookup(actor=actor, id_number=raw)
        except WusheError as exc:
            error = exc.localized()
    return render_page(request, "people/detail.html", {
        "guardian": guardian, "guardian_error": error, "guardian_query": raw,
    }, partial="guardian")


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, consent_id: int) -> HttpResponse:
    actor = request.user
    consent = selectors.consent_get(actor=actor, consent_id=consent_id)
    try:
        services.consent_withdraw(actor=actor, consent=consent)
    except WusheError as exc:
        messages.error(request, exc.localized())
    else:
        messages.success(request, _("The consent has been withdrawn."))
    return redirect(f"{_detail_url(consent.person)}#consents")


def _detail_url(person: Person) -> str:
    return reverse("people:detail", kwargs={"person_id": person.pk})
