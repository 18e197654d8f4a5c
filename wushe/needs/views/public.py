"""Public pages (no account): 点单 one question per screen, tracking by code, the rating,
and the ideas form. They work without JavaScript; everything is rate-limited per IP."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from wushe.core.errors import WusheError
from wushe.needs import confirm, ratelimit, selectors, services
from wushe.needs.categories import CATEGORIES
from wushe.needs.codes import normalize_code
from wushe.needs.views.common import client_ip
from wushe.regions.models import Region, RegionLevel
from wushe.web.forms import PageForm, set_choices
from wushe.web.pages import add_service_error, render_page


def community_choices() -> list[tuple[str, Any]]:
    """Communities grouped by street (names of places are public)."""
    regions = (Region.objects.unscoped(reason="reference: the region tree").filter(level__in=(RegionLevel.STREET,
                                                           RegionLevel.COMMUNITY))
               .only("code", "name", "level", "path").order_by("code"))
    groups: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for r in regions:
        if r.level == RegionLevel.STREET:
            groups[r.path] = (r.name, [])
        elif r.path[:9] in groups:
            groups[r.path[:9]][1].append((r.code, r.name))
    return [("", _("Choose your community…")),
            *((name, items) for name, items in groups.values() if items)]


class PublicNeedForm(PageForm):
    category = forms.ChoiceField(label=gettext_lazy("What do you need help with?"),
                                 widget=forms.RadioSelect)
    community = forms.ChoiceField(label=gettext_lazy("Which community do you live in?"))
    description = forms.CharField(
        label=gettext_lazy("Tell us what you need"), max_length=1000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy("What happened, what you need, and when it is convenient to reach you."))
    urgent = forms.BooleanField(label=gettext_lazy("It is urgent: it cannot wait until tomorrow"),
                                required=False)
    contact_name = forms.CharField(label=gettext_lazy("Your name"), max_length=50)
    contact_phone = forms.CharField(label=gettext_lazy("Your phone number"), max_length=20,
                                    widget=forms.TextInput(attrs={"type": "tel",
                                                                  "autocomplete": "tel"}))
    notify = forms.BooleanField(
        label=gettext_lazy("Send me SMS about the progress of my request"), required=False,
        help_text=gettext_lazy("First you get a code by SMS to enter on the tracking page; "
                               "the messages carry only your tracking code and the progress."))
    consent = forms.BooleanField(label=gettext_lazy(
        "I agree that the community uses my name, phone and request to handle it and to ask "
        "me about the result."))

    def __init__(self, *args: Any, fields: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "category", [(c.code, c.label) for c in CATEGORIES.values()])
        set_choices(self, "community", community_choices())
        for name in list(self.fields):
            if name not in fields:
                del self.fields[name]


# One question per screen (the last one shows everything for a check before sending).
STEPS: list[tuple[str, list[str], Any]] = [
    ("category", ["category"], gettext_lazy("Step 1 of 5: what kind of help")),
    ("community", ["community"], gettext_lazy("Step 2 of 5: where you live")),
    ("description", ["description", "urgent"], gettext_lazy("Step 3 of 5: your need")),
    ("contact", ["contact_name", "contact_phone", "notify"], gettext_lazy("Step 4 of 5: how to reach you")),
    ("confirm", ["consent"], gettext_lazy("Step 5 of 5: check and send")),
]
STEP_NAMES = [s[0] for s in STEPS]


def _fields_until(index: int) -> list[str]:
    return [f for _name, fields, _title in STEPS[: index + 1] for f in fields]


@never_cache
@require_http_methods(["GET", "POST"])
def public_submit(request: HttpRequest) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    step = STEP_NAMES.index(request.POST.get("step", "category")) \
        if request.POST.get("step") in STEP_NAMES else 0
    key = request.POST.get("key") or uuid.uuid4().hex  # one key per filled-in form: retries are safe
    if data is not None and "back" in data:
        # Going back shows the answers given, not complaints about the screen being left.
        step = max(0, step - 1)
        return _render_step(request, _unbound(data, step, request.GET.get("c", "")), step,
                            key, 200)
    initial = {"community": request.GET.get("c", "")}
    form = PublicNeedForm(data, fields=_fields_until(step), initial=initial)
    if data is None:
        return _render_step(request, form, 0, key, 200)
    if not form.is_valid():
        return _render_step(request, form, step, key, 400)
    if step < len(STEPS) - 1:
        return _render_step(request, _unbound(data, step + 1, request.GET.get("c", "")),
                            step + 1, key, 200)
    d = form.cleaned_data
    try:
        ratelimit.hit("intake", client_ip(request))
        done = services.need_submit_public(
            category=d["category"], description=d["description"], community=d["community"],
            contact_name=d["contact_name"], contact_phone=d["contact_phone"],
            consent=d["consent"], idempotency_key=key,
            urgency="urgent" if d.get("urgent") else "normal", notify=bool(d.get("notify")))
    except WusheError as exc:
        add_service_error(form, exc, field_map={"phone": "contact_phone", "name": "contact_name"})
        return _render_step(request, form, step, key, exc.status)
    return redirect(f"{_track_url(done.need.tracking_code)}?new=1")


def _unbound(data: Any, step: int, community: str = "") -> PublicNeedForm:
    """The next (or previous) screen: earlier answers as initial values, no errors yet. A
    community code in the link (a poster's QR code: ?c=…) preselects the community."""
    initial = {"community": community, **{k: data.get(k) for k in data}}
    return PublicNeedForm(initial=initial, fields=_fields_until(step))


def _render_step(request: HttpRequest, form: PublicNeedForm, step: int, key: str,
                 status: int) -> HttpResponse:
    name, fields, title = STEPS[step]
    carried = []  # earlier answers, carried forward as hidden inputs
    for f in _fields_until(step):
        value = form[f].value() if f not in fields else None
        if value not in (None, "", False):
            carried.append((f, "on" if value is True else str(value)))
    summary = []
    if name == "confirm":
        data = form.data if form.is_bound else form.initial
        category = CATEGORIES.get(data.get("category", ""))
        region = Region.objects.unscoped(reason="reference: the region tree").filter(code=data.get("community", "")).first()
        summary = [(_("Kind of help"), category.label if category else ""),
                   (_("Community"), region.name if region else ""),
                   (_("Your need"), data.get("description", "")),
                   (_("Your name"), data.get("contact_name", "")),
                   (_("Your phone number"), data.get("contact_phone", "")),
                   (_("SMS about the progress"),
                    _("Yes") if data.get("notify") in (True, "on") else _("No"))]
    return render_page(request, "needs/public/submit.html", {
        "form": form, "step": step, "step_name": name, "title": title, "key": key,
        "fields": [form[f] for f in fields], "carried": carried, "summary": summary,
        "last": step == len(STEPS) - 1, "progress": (step + 1) * 100 // len(STEPS),
    }, status=status)


def _track_url(code: str) -> str:
    from django.urls import reverse

    return reverse("needs:track", kwargs={"code": code})


class TrackForm(PageForm):
    code = forms.CharField(label=gettext_lazy("Tracking code"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off",
                                                         "autocapitalize": "characters"}))


class RatingForm(PageForm):
    score = forms.TypedChoiceField(label=gettext_lazy("How satisfied are you?"), coerce=int,
                                   widget=forms.RadioSelect, choices=[
                                       ("5", gettext_lazy("5 · Very satisfied")),
                                       ("4", gettext_lazy("4 · Satisfied")),
                                       ("3", gettext_lazy("3 · Acceptable")),
                                       ("2", gettext_lazy("2 · Dissatisfied")),
                                       ("1", gettext_lazy("1 · Very dissatisfied"))])
    comment = forms.CharField(label=gettext_lazy("Anything to add? (optional)"), max_length=500,
                              required=False, widget=forms.Textarea(attrs={"rows": 3}))


@never_cache
@require_http_methods(["GET"])
def public_track_lookup(request: HttpRequest) -> HttpResponse:
    form = TrackForm(request.GET or None)
    status = 200
    if form.is_bound and form.is_valid():
        try:
            code = normalize_code(form.cleaned_data["code"])
        except WusheError as exc:
            add_service_error(form, exc, field_map={"tracking_code": "code"})
            status = exc.status
        else:
            return redirect(_track_url(code))
    elif form.is_bound:
        status = 400
    return render_page(request, "needs/public/track.html", {"form": form, "view": None},
                       status=status)


class SmsCodeForm(PageForm):
    code = forms.CharField(label=gettext_lazy("The 6-digit code in the SMS"), max_length=20,
                           widget=forms.TextInput(attrs={"inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "id_sms_%s")  # the page's lookup form has its own id_code
        super().__init__(*args, **kwargs)


@never_cache
@require_http_methods(["GET"])
def public_track(request: HttpRequest, code: str) -> HttpResponse:
    return _track_page(request, code, RatingForm(), 200)


def _track_page(request: HttpRequest, code: str, rating: RatingForm, status: int,
                sms_form: SmsCodeForm | None = None, sms_error: str = "") -> HttpResponse:
    ratelimit.hit("tracking", client_ip(request))
    view = selectors.public_view(tracking_code=code)  # NotFound → the 404 page
    return render_page(request, "needs/public/track.html", {
        "form": TrackForm(initial={"code": view["tracking_code"]}), "view": view,
        "rating": rating, "new": request.GET.get("new") == "1",
        "sms": selectors.public_sms_status(tracking_code=view["tracking_code"]),
        "sms_form": sms_form or SmsCodeForm(), "sms_error": sms_error,
    }, status=status)


@require_POST
def public_sms_confirm(request: HttpRequest, code: str) -> HttpResponse:
    """The resident enters the code sent by SMS (the phone is proven: updates follow)."""
    form = SmsCodeForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            ratelimit.hit("intake", client_ip(request))
            sub = confirm.need_sms_confirm(tracking_code=code, code=form.cleaned_data["code"])
        except WusheError as exc:
            if exc.status == 404 and exc.field is None and exc.code == "not_found":
                raise
            add_service_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Your phone is confirmed: you will get an SMS at each "
                                        "step of your request."))
            return redirect(_track_url(sub.need.tracking_code))
    return _track_page(request, code, RatingForm(), status, sms_form=form)


@require_POST
def public_sms_resend(request: HttpRequest, code: str) -> HttpResponse:
    try:
        ratelimit.hit("intake", client_ip(request))
        sub = services.need_sms_code_resend(tracking_code=code)
    except WusheError as exc:
        if exc.status == 404 and exc.code == "not_found":
            raise
        return _track_page(request, code, RatingForm(), exc.status, sms_error=exc.localized())
    messages.success(request, _("A new code has been sent by SMS."))
    return redirect(_track_url(sub.need.tracking_code))


@require_POST
def public_rate(request: HttpRequest, code: str) -> HttpResponse:
    form = RatingForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            ratelimit.hit("intake", client_ip(request))
            need = services.need_rate_public(tracking_code=code, score=form.cleaned_data["score"],
                                             comment=form.cleaned_data["comment"])
        except WusheError as exc:
            add_service_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("Thank you for your rating.") if need.state == "closed"
                             else _("Thank you. We are sorry it did not go well: the community "
                                    "will look at your request again."))
            return redirect(_track_url(need.tracking_code))
    return _track_page(request, code, form, status)


class PublicIdeaForm(PageForm):
    community = forms.ChoiceField(label=gettext_lazy("Your community"))
    title = forms.CharField(label=gettext_lazy("Your idea in one line"), max_length=100)
    body = forms.CharField(label=gettext_lazy("Describe it"), max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    name = forms.CharField(label=gettext_lazy("Your name"), max_length=50)
    phone = forms.CharField(label=gettext_lazy("Your phone number"), max_length=20,
                            widget=forms.TextInput(attrs={"type": "tel"}))
    consent = forms.BooleanField(label=gettext_lazy(
        "I agree that the community uses my name and phone to discuss the idea with me."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "community", community_choices())


@never_cache
@require_http_methods(["GET", "POST"])
def public_idea(request: HttpRequest) -> HttpResponse:
    form = PublicIdeaForm(request.POST or None, initial={"community": request.GET.get("c", "")})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            d = form.cleaned_data
            try:
                ratelimit.hit("intake", client_ip(request))
                idea = services.idea_submit_public(title=d["title"], body=d["body"],
                                                   community=d["community"], name=d["name"],
                                                   phone=d["phone"], consent=d["consent"])
            except WusheError as exc:
                add_service_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("Thank you! Your idea %(code)s has been sent to "
                                            "the community.") % {"code": idea.code})
                return redirect("needs:public_idea")
    return render_page(request, "needs/public/idea.html", {"form": form}, status=status)
