"""The dispatch queue (工作清单): my community's or my street's needs, SLA colours, filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wushe.core.errors import NotFound, WusheError
from wushe.needs import perms, selectors
from wushe.needs.categories import Channel, NeedGroup, category_choices
from wushe.needs.views.common import filter_regions
from wushe.needs.workflow import State
from wushe.web.forms import FilterForm, set_choices
from wushe.web.pages import add_service_error, paginate, render_page

BUCKET_CHOICES = [("open", pgettext_lazy("needs", "Open")), ("todo", gettext_lazy("To accept or dispatch")),
                  ("working", gettext_lazy("Being handled")),
                  ("done", gettext_lazy("Resolved and after")), ("all", gettext_lazy("All"))]
SLA_CHOICES = [("", gettext_lazy("Any deadline")), ("overdue", gettext_lazy("Overdue")),
               ("due", gettext_lazy("Due soon")), ("ok", gettext_lazy("On track"))]


class QueueFilterForm(FilterForm):
    bucket = forms.ChoiceField(label=gettext_lazy("List"), required=False, choices=BUCKET_CHOICES)
    state = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    category = forms.ChoiceField(label=gettext_lazy("Category"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)
    target_group = forms.ChoiceField(label=gettext_lazy("Target group"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    sla = forms.ChoiceField(label=gettext_lazy("Deadline"), required=False, choices=SLA_CHOICES)
    escalated = forms.BooleanField(label=gettext_lazy("Escalated only"), required=False)
    mine = forms.BooleanField(label=gettext_lazy("Assigned to me"), required=False)
    q = forms.CharField(label=gettext_lazy("Tracking code"), required=False, max_length=20,
                        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}))

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_ = [("", _("Any"))]
        set_choices(self, "state", any_ + list(State.choices))
        set_choices(self, "category", any_ + category_choices())
        set_choices(self, "channel", any_ + list(Channel.choices))
        set_choices(self, "target_group", any_ + list(NeedGroup.choices))
        set_choices(self, "region", regions)


@login_required
@never_cache
@require_GET
def need_queue(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not (perms.has(actor, perms.NEED_VIEW) or selectors.my_assignments(actor=actor).exists()):
        raise NotFound()
    form = QueueFilterForm(request.GET or None, regions=filter_regions(actor))
    filters = selectors.NeedFilters()
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        filters = selectors.NeedFilters(
            bucket=d["bucket"] or "open", state=d["state"], category=d["category"],
            channel=d["channel"], target_group=d["target_group"], region_code=d["region"],
            sla=d["sla"], escalated=d["escalated"], mine=d["mine"], q=d["q"])
    status = 400 if form.errors else 200
    try:
        page = selectors.need_page(actor=actor, filters=filters, number=request.GET.get("page"))
    except WusheError as exc:
        add_service_error(form, exc, field_map={"tracking_code": "q"})
        page = paginate(request, [])
        status = exc.status
    return render_page(request, "needs/queue.html", {
        "form": form, "page": page, "counts": selectors.queue_counts(actor=actor),
        "can_intake": perms.has(actor, perms.NEED_INTAKE),
        "can_import": perms.has(actor, perms.NEED_IMPORT),
    }, partial="results", status=status)
