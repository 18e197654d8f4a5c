"""Figures of ``wushe stats`` for supervision (the reports app reads these definitions).

Every figure counts supervisions whose region (the supervised project's region, or the region
a session was held for) lies in the requested subtree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.supervision.models import Kind, Supervision, VisitStatus, overdue_q


@stats_block("supervision")
def supervision_figures(path: str) -> dict[str, Any]:
    """
    - ``supervision.total``: supervision sessions that took place (status done), of every kind:
      monthly scheduling, quarterly inspections, half-year visits, centralised sessions and
      consultations (the seed text's 累计开展督导 4,231 次).
    - ``supervision.centralised``: centralised supervision sessions held (集中督导, status done).
    - ``supervision.consultations``: consultations given (一站式咨询, status done).
    - ``supervision.overdue``: visits still planned whose scheduled date is before today (not
      done, not marked missed); computed on the day asked, never stored.
    """
    row = Supervision.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path)).aggregate(
        total=Count("pk", filter=Q(status=VisitStatus.DONE)),
        centralised=Count("pk", filter=Q(status=VisitStatus.DONE, kind=Kind.CENTRALISED)),
        consultations=Count("pk", filter=Q(status=VisitStatus.DONE, kind=Kind.CONSULTATION)),
        overdue=Count("pk", filter=overdue_q(dt.date.today())),
    )
    return {f"supervision.{key}": value for key, value in row.items()}
