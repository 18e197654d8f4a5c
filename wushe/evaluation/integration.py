"""What this app plugs into wushe.projects.hooks (registered from EvaluationConfig.ready):

* the payment gate: a tranche tied to a stage is payable once that stage's evaluation is scored
  or decided with at least a pass; below pass blocks it; no evaluation (or one still open)
  means not decided yet (None);
* the procurement eligibility check: an organisation eliminated by a decided evaluation of
  cycle Y − 1 (or of Y itself) is refused for cycle Y, with the project named in the reason;
* the project-page panel: the project's evaluations with party scores, total, grade and
  decision.
"""

from __future__ import annotations

from typing import Any

from wushe.evaluation import access, scoring
from wushe.evaluation.models import PARTIES, Decision, EvalStatus, Evaluation
from wushe.projects import workflow


def stage_gate(project: Any, stage: str) -> bool | None:
    found = (Evaluation.objects.unscoped(reason="hook: the calling service authorised it").filter(project_id=project.pk, stage=stage)
             .values_list("status", "grade").first())
    if found is None or found[0] == EvalStatus.OPEN or not found[1]:
        return None
    return found[1] in scoring.PASSING


def eliminated_check(org: Any, year: int) -> tuple[str, str] | None:
    hit = (Evaluation.objects.unscoped(reason="hook: the calling service authorised it")
           .filter(provider_id=org.pk, decision=Decision.ELIMINATE, status=EvalStatus.DECIDED,
                   year__in=(int(year) - 1, int(year)))
           .select_related("project").order_by("-year", "-decided_at").first())
    if hit is None:
        return None
    code = hit.project.code
    return (f"该组织在{hit.year}年度四方评估中被淘汰(项目{code}),{int(year)}年度不得承接项目",
            f"The organisation was eliminated by the {hit.year} four-party evaluation (project "
            f"{code}) and may not be procured for {int(year)}")


def panel_context(request: Any, project: Any) -> dict[str, Any] | None:
    from wushe.evaluation.selectors import project_evaluations

    actor = request.user
    evaluations = project_evaluations(actor=actor, project=project)
    can_manage = access.can_manage(actor, project)
    if not evaluations and not can_manage:
        return None
    from wushe.accounts import scope

    linkable = scope.covers(actor, access.VIEW, project.region_path)
    rows = [{"evaluation": ev, "linkable": linkable,
             "parties": [(p, ev.party_score(p)) for p in PARTIES]} for ev in evaluations]
    stages = {ev.stage for ev in evaluations}
    return {"rows": rows, "can_manage": can_manage, "project": project,
            "can_create": can_manage and project.provider_id is not None
            and project.status in workflow.ACTIVE
            and not {"midterm", "final"} <= stages}


def register() -> None:
    from wushe.projects import hooks

    hooks.register_gate(stage_gate)
    hooks.register_eligibility(eliminated_check)
    hooks.register_panel(hooks.Panel(key="evaluation", order=30,
                                     template="evaluation/_project_panel.html",
                                     context=panel_context))
