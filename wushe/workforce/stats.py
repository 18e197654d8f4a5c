"""Figures of ``wushe stats`` for social workers and community workers.

Counts are of workers in post (status active): those on leave or gone are records, not
staff. ``placed`` means in post at a site of the three tiers.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from wushe.accounts.scope import subtree_q
from wushe.core.figures import stats_block
from wushe.workforce import staffing
from wushe.workforce.models import CertificateLevel, SocialWorker, WorkerStatus


@stats_block("workforce")
def workforce_figures(path: str) -> dict[str, Any]:
    active = Q(status=WorkerStatus.ACTIVE)
    social = SocialWorker.objects.unscoped(reason="kpi: filtered by the region path").filter(subtree_q("region_path", path)).aggregate(
        total=Count("pk", filter=active),
        certified=Count("pk", filter=active & ~Q(certificate_level=CertificateLevel.NONE)),
        placed=Count("pk", filter=active & Q(site__isnull=False)),
        **{f"level_{lv}": Count("pk", filter=active & Q(certificate_level=lv))
           for lv in CertificateLevel.values if lv != CertificateLevel.NONE},
    )
    report = staffing.figures(path)
    out: dict[str, Any] = {
        "social_workers.total": social["total"],
        "social_workers.certified": social["certified"],
        "social_workers.placed": social["placed"],
        "community_workers.total": report.totals.actual,
        "community_workers.required": report.totals.required,
        "community_workers.shortfall": report.totals.shortfall,
        "community_workers.shortfall_communities": report.totals.short_communities,
    }
    for lv in CertificateLevel.values:
        if lv != CertificateLevel.NONE:
            out[f"social_workers.by_level.{lv}"] = social[f"level_{lv}"]
    return out
