"""KPI of the policy library: the policy documents in force (十余项政策文件)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from wushe.reports.kpis.base import Kpi, Source, Unit, define
from wushe.reports.kpis.governance import NOW_EN, NOW_ZH


def _in_force() -> Any:
    from wushe.policies.models import PolicyDocument

    today = timezone.localdate()
    return (PolicyDocument.objects.unscoped(reason="kpi: filtered by the region path")
            .filter(Q(effective_on__lte=today) | Q(effective_on__isnull=True, issued_on__lte=today))
            .filter(Q(repealed_on__isnull=True) | Q(repealed_on__gt=today)))


IN_FORCE = Source("policy_documents", _in_force)

define(
    Kpi("policies.documents", "政策文件", "Policy documents", Unit.COUNT,
        "政策文件库中现行有效(已施行且未废止)的政策文件件数。" + NOW_ZH,
        "Documents in the policy library in force (in effect and not repealed). " + NOW_EN,
        IN_FORCE, Count("pk"), section="governance",
        seed="从夯实”五社”要素基础出发,先后出台十余项政策文件"),
)
