"""The ideas board (自治金点子): list, record on a resident's behalf, discuss, adopt or reject."""

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
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import NotFound, WusheError
from wushe.needs import ideas_selectors, perms, services
from wushe.needs.models import IdeaState
from wushe.needs.views.common import filter_regions, indent
from wushe.regions.models import RegionLevel
from wushe.regions.selectors import region_get, regions_where
from wushe.web.forms import FilterForm, PageForm, set_choices
from wushe.web.pages import Submitted, add_service_error, paginate, render_page, submit


class IdeaFilterForm(FilterForm):
    state = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    region = forms.ChoiceField(label=gettext_lazy("Region"), required=False)
    q = forms.CharField(label=gettext_lazy("Title contains"), required=False, max_length=50)

    def __init__(self, *args: Any, regions: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "state", [("", _("Any")), *IdeaState.choices])
        set_choices(self, "region", regions)


@login_required
@never_cache
@require_GET
def idea_board(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.IDEA_VIEW):
        raise NotFound()
    form = IdeaFilterForm(request.GET or None, regions=filter_regions(actor))
    d = form.cleaned_data if form.is_bound and form.is_valid() else {}
    status = 400 if form.errors else 200
    try:
        qs = ideas_selectors.idea_list(actor=actor, state=d.get("state", ""),
                                       region_code=d.get("region", ""), q=d.get("q", ""))
        page = paginate(request, qs)
    except WusheError as exc:
        add_service_error(form, exc)
        page, status = paginate(request, []), exc.status
    return render_page(request, "needs/ideas.html", {
        "form": form, "page": page, "counts": ideas_selectors.idea_counts(actor=actor),
        "can_submit": perms.has(actor, perms.IDEA_SUBMIT),
    }, partial="results", status=status)


class IdeaForm(PageForm):
    community = forms.ChoiceField(label=gettext_lazy("Community"))
    title = forms.CharField(label=gettext_lazy("Title"), max_length=100)
    body = forms.CharField(label=gettext_lazy("Idea"), max_length=3000,
                           widget=forms.Textarea(attrs={"rows": 5}))
    submitter_name = forms.CharField(label=gettext_lazy("Proposed by (resident's name)"),
                                     max_length=50, required=False)

    def __init__(self, *args: Any, regions: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "community", [(r.code, indent(r)) for r in regions])


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def idea_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not perms.has(actor, perms.IDEA_SUBMIT):
        raise NotFound()
    form = IdeaForm(request.POST or None,
                    regions=regions_where(actor, perms.IDEA_SUBMIT, (RegionLevel.COMMUNITY,)))
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda d: services.idea_submit(
            actor=actor, region=region_get(actor=actor, code=d["community"]), title=d["title"],
            body=d["body"], submitter_name=d["submitter_name"]))
        if outcome.done:
            messages.success(request, _("The idea has been recorded."))
            return redirect("needs:idea", idea_id=outcome.result.pk)
    return render_page(request, "needs/idea_form.html", {"form": form}, status=outcome.status)


class CommentForm(PageForm):
    body = forms.CharField(label=gettext_lazy("Comment"), max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(PageForm):
    adopt = forms.TypedChoiceField(label=gettext_lazy("Decision"), coerce=lambda v: v == "yes",
                                   choices=[("yes", gettext_lazy("Adopt")),
                                            ("no", gettext_lazy("Do not adopt"))],
                                   widget=forms.RadioSelect)
    reason = forms.CharField(label=gettext_lazy("Reason (told to the resident)"), max_length=300,
                             required=False)
    project_ref = forms.CharField(label=gettext_lazy("Project it becomes (optional)"),
                                  max_length=80, required=False)


def _idea_context(request: HttpRequest, idea: Any, **extra: Any) -> dict[str, Any]:
    actor = request.user
    from wushe.needs.views.budget import staff_context

    extra = {**staff_context(actor, idea), **extra}
    return {"idea": idea, "comments": list(ideas_selectors.idea_comments(idea=idea)),
            "comment_form": extra.pop("comment_form", CommentForm()),
            "decision_form": extra.pop("decision_form", DecisionForm()),
            "can_decide": scope.covers(actor, perms.IDEA_DECIDE, idea.region_path)
            and idea.state == IdeaState.SUBMITTED, **extra}


@login_required
@never_cache
@require_GET
def idea_detail(request: HttpRequest, idea_id: int) -> HttpResponse:
    idea = ideas_selectors.idea_get(actor=request.user, idea_id=idea_id)
    return render_page(request, "needs/idea_detail.html", _idea_context(request, idea))


@login_required
@require_POST
def idea_comment(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = request.user
    idea = ideas_selectors.idea_get(actor=actor, idea_id=idea_id)
    form = CommentForm(request.POST)
    outcome = submit(form, lambda d: services.idea_comment(actor=actor, idea=idea, body=d["body"]))
    if outcome.done:
        return redirect("needs:idea", idea_id=idea.pk)
    return render_page(request, "needs/idea_detail.html",
                       _idea_context(request, idea, comment_form=form), status=outcome.status)


@login_required
@require_POST
def idea_decide(request: HttpRequest, idea_id: int) -> HttpResponse:
    actor = request.user
    idea = ideas_selectors.idea_get(actor=actor, idea_id=idea_id)
    form = DecisionForm(request.POST)
    outcome = submit(form, lambda d: services.idea_decide(
        actor=actor, idea=idea, adopt=d["adopt"], reason=d["reason"],
        project_ref=d["project_ref"]))
    if outcome.done:
        messages.success(request, _("The decision has been recorded."))
        return redirect("needs:idea", idea_id=idea.pk)
    idea = ideas_selectors.idea_get(actor=actor, idea_id=idea_id)
    return render_page(request, "needs/idea_detail.html",
                       _idea_context(request, idea, decision_form=form), status=outcome.status)
