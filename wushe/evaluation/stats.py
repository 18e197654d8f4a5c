"""Figures of ``wushe stats`` for the four-party evaluation, over every year.

* ``evaluation.excellent_orgs``: distinct organisations with a decided final evaluation graded
  excellent (优质社会组织);
* ``evaluation.renewed``: decided final evaluations whose decision is renew (续签项目);
* ``evaluation.eliminated``: distinct organisations with a decided evaluation (any stage)
  whose decision is eliminate (淘汰不合格社会组织).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.evaluation.models import Decision, EvalStatus, Evaluation, Grade, Stage


@stats_block("evaluation")
def evaluation_figures(path: str) -> dict[str, Any]:
    decided = Evaluation.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path),
                                                   status=EvalStatus.DECIDED)
    final = Q(stage=Stage.FINAL)
    agg = decided.aggregate(
        excellent=Count("provider", filter=final & Q(grade=Grade.EXCELLENT), distinct=True),
        renewed=Count("pk", filter=final & Q(decision=Decision.RENEW)),
        eliminated=Count("provider", filter=Q(decision=Decision.ELIMINATE), distinct=True),
    )
    return {"evaluation.excellent_orgs": agg["excellent"], "evaluation.renewed": agg["renewed"],
            "evaluation.eliminated": agg["eliminated"]}
