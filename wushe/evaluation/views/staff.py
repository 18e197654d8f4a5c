"""Staff pages: the list and its export, my evaluations, set-up, the evaluation page with the
decision, the committee, and the year's excellent organisations. Thin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from wushe.accounts import scope
from wushe.core.errors import PermissionDenied
from wushe.evaluation import access, exporters, forms, selectors, services
from wushe.evaluation.models import Evaluation
from wushe.web.pages import Submitted, paginate, render_page, submit, xlsx_response

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _filters(form: forms.EvalFilterForm) -> selectors.EvalFilters:
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        return selectors.EvalFilters(q=d["q"], year=d["year"], stage=d["stage"],
                                     status=d["status"], grade=d["grade"],
                                     decision=d["decision"])
    return selectors.EvalFilters()


def _require_view(actor: Actor) -> None:
    if not scope.has_perm(actor, access.VIEW):
        raise PermissionDenied()


@login_required
@never_cache
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    actor = request.user
    _require_view(actor)
    form = forms.EvalFilterForm(request.GET or None, years=selectors.years(actor=actor))
    page = paginate(request, selectors.evaluation_list(actor=actor, filters=_filters(form)))
    page.object_list = selectors.with_seat_counts(list(page.object_list))
    return render_page(request, "evaluation/list.html", {
        "form": form, "page": page, "tab": "all",
        "can_create": scope.has_perm(actor, access.MANAGE),
        "export_query": request.GET.urlencode(),
    }, partial="results", status=400 if form.errors else 200)


@login_required
@require_GET
def evaluation_export(request: HttpRequest) -> HttpResponse:
    actor = request.user
    form = forms.EvalFilterForm(request.GET or None, years=selectors.years(actor=actor))
    return xlsx_response(exporters.evaluation_export(actor=actor, filters=_filters(form)),
                         "evaluations")


@login_required
@never_cache
@require_GET
def evaluation_mine(request: HttpRequest) -> HttpResponse:
    """The seats the actor holds: open ones to score first, then those scored and waiting."""
    actor = request.user
    _require_view(actor)
    show_all = request.GET.get("all") == "1"
    seats = selectors.my_seats(actor=actor, open_only=not show_all)
    return render_page(request, "evaluation/mine.html", {
        "page": paginate(request, seats), "tab": "mine", "show_all": show_all},
                       partial="results")


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest) -> HttpResponse:
    actor = request.user
    if not scope.has_perm(actor, access.MANAGE):
        raise PermissionDenied()
    sets = selectors.active_indicator_sets()
    initial = {"project": request.GET.get("project"), "stage": request.GET.get("stage"),
               "indicator_set": next((s.pk for s in sets if s.is_default), sets[0].pk)}
    form = forms.EvaluationCreateForm(request.POST or None, initial=initial, sets=sets,
                                      projects=selectors.projects_to_evaluate(actor=actor))

    def call(d: dict[str, Any]) -> Evaluation:
        project = selectors.project_for_evaluation(actor=actor, project_id=d["project"])
        sheet = next(s for s in sets if s.pk == d["indicator_set"])
        return services.evaluation_create(actor=actor, project=project, stage=d["stage"],
                                          indicator_set=sheet)

    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, call)
        if outcome.done:
            messages.success(request, _("The evaluation has been opened. Now add the "
                                        "committee."))
            return redirect("evaluation:member_add", evaluation_id=outcome.result.pk)
    return render_page(request, "evaluation/action.html", {
        "form": form, "title": _("Open a four-party evaluation"),
        "submit_label": _("Open the evaluation"), "back": reverse("evaluation:list"),
    }, status=outcome.status)


def _detail_context(request: HttpRequest, ev: Evaluation,
                    decision_form: forms.DecisionForm | None = None) -> dict[str, Any]:
    actor = request.user
    can_manage = access.can_manage(actor, ev)
    detail = selectors.evaluation_detail(actor=actor, evaluation=ev)
    my_seats = [m for m in detail["members"] if access.may_score(actor, m)]
    if can_manage and decision_form is None and not ev.is_decided:
        decision_form = forms.DecisionForm(initial={"decision": ev.suggested_decision})
    survey_url = request.build_absolute_uri(
        reverse("evaluation:survey", kwargs={"token": ev.survey_token}))
    return {"ev": ev, "d": detail, "can_manage": can_manage, "my_seats": my_seats,
            "decision_form": decision_form if can_manage and not ev.is_decided else None,
            "survey_url": survey_url if can_manage else "", "tab": "all",
            "can_see_org": scope.covers(actor, "orgs.view", ev.provider.region_path)}


@login_required
@never_cache
@require_GET
def evaluation_detail(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    ev = selectors.evaluation_get(actor=request.user, evaluation_id=evaluation_id)
    return render_page(request, "evaluation/detail.html", _detail_context(request, ev))


@login_required
@never_cache
@require_POST
def evaluation_decide(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    actor = request.user
    ev = selectors.evaluation_get(actor=actor, evaluation_id=evaluation_id)
    form = forms.DecisionForm(request.POST)
    outcome = submit(form, lambda d: services.evaluation_decide(
        actor=actor, evaluation=ev, decision=d["decision"], reason=d["reason"]))
    if outcome.done:
        messages.success(request, _("The decision has been recorded."))
        return redirect("evaluation:detail", evaluation_id=ev.pk)
    ev = selectors.evaluation_get(actor=actor, evaluation_id=evaluation_id)
    return render_page(request, "evaluation/detail.html", _detail_context(request, ev, form),
                       status=outcome.status)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def member_add(request: HttpRequest, evaluation_id: int) -> HttpResponse:
    actor = request.user
    ev = selectors.evaluation_get(actor=actor, evaluation_id=evaluation_id)
    access.require_manage(actor, ev)
    form = forms.MemberAddForm(request.POST or None,
                               candidates=selectors.member_candidates(evaluation=ev))

    def call(d: dict[str, Any]) -> Any:
        user = selectors.account_get(user_id=d["user"]) if d["user"] else None
        return services.member_add(actor=actor, evaluation=ev, party=d["party"], user=user,
                                   name=d["name"])

    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, call)
        if outcome.done:
            messages.success(request, _("%(name)s has joined the committee.")
                             % {"name": outcome.result.name})
            if request.POST.get("another"):
                return redirect("evaluation:member_add", evaluation_id=ev.pk)
            return redirect("evaluation:detail", evaluation_id=ev.pk)
    return render_page(request, "evaluation/member_add.html", {
        "form": form, "ev": ev, "d": selectors.evaluation_detail(actor=actor, evaluation=ev),
        "tab": "all"}, status=outcome.status)


@login_required
@require_POST
def member_remove(request: HttpRequest, evaluation_id: int, member_id: int) -> HttpResponse:
    actor = request.user
    ev = selectors.evaluation_get(actor=actor, evaluation_id=evaluation_id)
    member = selectors.member_get(actor=actor, evaluation=ev, member_id=member_id)
    services.member_remove(actor=actor, member=member)
    messages.success(request, _("The member has left the committee."))
    return redirect("evaluation:detail", evaluation_id=ev.pk)


@login_required
@never_cache
@require_GET
def excellent(request: HttpRequest) -> HttpResponse:
    """The year's excellent organisations (优质社会组织)."""
    actor = request.user
    _require_view(actor)
    years = selectors.years(actor=actor)
    try:
        year = int(request.GET.get("year") or (years[0] if years else timezone.localdate().year))
    except ValueError:
        year = timezone.localdate().year
    return render_page(request, "evaluation/excellent.html", {
        "rows": selectors.excellent_list(actor=actor, year=year), "year": year,
        "years": years or [year], "tab": "excellent"})


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def indicator_sets(request: HttpRequest) -> HttpResponse:
    """The scoring sheets, and a new one for the district (sheets in use never change)."""
    actor = request.user
    _require_view(actor)
    can_manage = scope.has_perm(actor, access.MANAGE)
    form = forms.IndicatorSetForm(request.POST or None) if can_manage else None
    outcome = Submitted(False)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied()
        outcome = submit(form, lambda d: services.indicator_set_create(
            actor=actor, name=d["name"], indicators=form.indicators(),
            make_default=d["make_default"]))
        if outcome.done:
            messages.success(request, _("The indicator set has been created."))
            return redirect("evaluation:indicator_sets")
    return render_page(request, "evaluation/indicator_sets.html", {
        "sets": selectors.indicator_sets(), "form": form, "tab": "indicators",
    }, status=outcome.status)
