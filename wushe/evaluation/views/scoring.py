"""The scoring form: one member's sheet, every indicator, errors next to the fields."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from wushe.core.errors import PermissionDenied
from wushe.evaluation import access, forms, selectors, services
from wushe.evaluation.models import EvalStatus
from wushe.web.pages import Submitted, render_page, submit


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, evaluation_id: int, member_id: int) -> HttpResponse:
    actor = request.user
    ev = selectors.evaluation_get(actor=actor, evaluation_id=evaluation_id)
    member = selectors.member_get(actor=actor, evaluation=ev, member_id=member_id)
    if not access.may_score(actor, member):
        raise PermissionDenied("您不是该评估委员会中此席位的评分人",
                               "You do not hold this seat on the evaluation committee")
    indicators = selectors.indicators(ev)
    initial: dict[str, object] = {}
    for s in member.scores.all():
        initial[f"score_{s.indicator_id}"] = s.score
        initial[f"comment_{s.indicator_id}"] = s.comment
    form = forms.ScoreForm(request.POST or None, initial=initial, indicators=indicators)
    closed = ev.status == EvalStatus.DECIDED
    outcome = Submitted(False)
    if request.method == "POST":
        outcome = submit(form, lambda _d: services.scores_submit(
            actor=actor, member=member, scores=form.as_scores()))
        if outcome.done:
            messages.success(request, _("Your scores have been submitted."))
            return redirect("evaluation:detail", evaluation_id=ev.pk)
    return render_page(request, "evaluation/score.html", {
        "ev": ev, "member": member, "form": form, "closed": closed, "tab": "mine",
        "on_behalf": member.user_id != actor.pk, "can_manage": access.can_manage(actor, ev),
        "max_total": sum(i.max_score for i in indicators),
    }, status=outcome.status)
