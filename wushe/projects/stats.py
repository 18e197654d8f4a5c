"""Figures of ``wushe stats`` for the projects app (region subtree of ``path``).

Definitions (the reports app reads these):

- ``projects.total``: every service project designed in the subtree (any status, every year
  since the first), renewals included — the seed's "568 projects designed".
- ``projects.purchased``: projects that reached the contract: status contracted, in_service,
  midterm_evaluated, final_evaluated or closed (workflow.PURCHASED) — the seed's "370 purchased".
  A project listed or procured but not yet contracted is not purchased.
- ``projects.budget_yuan``: the money invested — the sum of the contract amounts of the
  purchased projects (their Contract.amount, yuan, JSON number with two decimals).
- ``projects.leveraged_yuan``: social resources leveraged by the purchased projects
  (ServiceProject.leveraged summed over them).
- ``projects.by_domain.<domain>``: ``projects.total`` split by domain (every Domain value is
  present, 0 when none).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.projects.models import Contract, Domain, ServiceProject
from wushe.projects.workflow import PURCHASED


def _yuan(value: Decimal | None) -> float:
    return float((value or Decimal(0)).quantize(Decimal("0.01")))


@stats_block("projects")
def project_figures(path: str) -> dict[str, Any]:
    projects = ServiceProject.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path))
    purchased = Q(status__in=list(PURCHASED))
    agg = projects.aggregate(
        total=Count("pk"), purchased=Count("pk", filter=purchased),
        leveraged=Sum("leveraged", filter=purchased),
        **{f"d_{d}": Count("pk", filter=Q(domain=d)) for d in Domain.values},
    )
    invested = (Contract.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path),
                                                   project__status__in=list(PURCHASED))
                .aggregate(s=Sum("amount"))["s"])
    out: dict[str, Any] = {
        "projects.total": agg["total"],
        "projects.purchased": agg["purchased"],
        "projects.budget_yuan": _yuan(invested),
        "projects.leveraged_yuan": _yuan(agg["leveraged"]),
    }
    for d in Domain.values:
        out[f"projects.by_domain.{d}"] = agg[f"d_{d}"]
    return out
