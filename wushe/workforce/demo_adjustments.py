"""Demo: the cadre adjustments that follow the demo's 不称职 appraisals.

Every 不称职 appraisal opens an adjustment (the rule in services/adjustments.py); the demo's
appraisals are bulk-created, so this step opens theirs. A community's first worker (正职) is its
elected director. Adjustments of the earlier year are settled (a transfer or a demotion, approved
by the street); those of the last year are at every stage: open, proposed, approved (including
dismissals) and, for elected directors, a recorded resignation. The worker's post, grade and
status follow the settled ones.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from wushe.demo.steps import DemoContext, step
from wushe.workforce.ladder import ladder_for
from wushe.workforce.models import (
    Adjustment,
    AdjustmentKind,
    AdjustmentState,
    Appraisal,
    AppraisalResult,
    CommunityWorker,
    ElectedRole,
    Engagement,
    WorkerStatus,
)

REASON = "年度考评不称职,经社区研究提出调整意见"


@step("workforce_adjustments", order=31)
def build_adjustments(ctx: DemoContext) -> dict[str, int]:
    rng = ctx.rng("workforce_adjustments")
    today = dt.date.today()
    now = timezone.now()
    ladder = ladder_for()
    workers = CommunityWorker.objects.unscoped(reason="demo: builds the whole district")
    elected = workers.filter(post=1).update(engagement=Engagement.ELECTED,
                                            elected_role=ElectedRole.DIRECTOR)
    incompetent = list(Appraisal.objects.unscoped(reason="demo: builds the whole district").filter(result=AppraisalResult.INCOMPETENT)
                       .select_related("worker").order_by("year", "id"))
    adjustments: list[Adjustment] = []
    changed: dict[int, CommunityWorker] = {}
    for appraisal in incompetent:
        worker = changed.get(appraisal.worker_id, appraisal.worker)
        last_year = appraisal.year == today.year - 1
        a = Adjustment(worker=worker, appraisal=appraisal, region_path=worker.region_path,
                       year=appraisal.year, old_post=worker.post, old_grade=worker.grade,
                       engagement=Engagement.ELECTED if worker.post == 1 else Engagement.HIRED)
        if a.engagement == Engagement.ELECTED:
            if last_year and rng.random() < 0.5:
                a.state, a.kind = AdjustmentState.RECORDED, AdjustmentKind.RESIGNATION
                a.procedure_on = today - dt.timedelta(days=rng.randint(10, 60))
                a.minutes = "本人辞职申请及居民会议备案记录"
                a.proposed_at = now
                worker.status = WorkerStatus.LEFT
                changed[worker.pk] = worker
            adjustments.append(a)
            continue
        stage = rng.random() if last_year else 1.0
        if stage < 0.3:  # open: the community has not proposed yet
            adjustments.append(a)
            continue
        post = ladder.post(worker.post)
        if worker.grade > post.lowest and (not last_year or rng.random() < 0.6):
            a.kind, a.new_post, a.new_grade = AdjustmentKind.DEMOTION, worker.post, worker.grade - 1
        elif worker.post < len(ladder.posts) and not last_year:
            to = ladder.posts[worker.post]
            a.kind, a.new_post = AdjustmentKind.TRANSFER, to.number
            a.new_grade = min(to.highest, max(to.lowest, worker.grade))
        else:
            a.kind = AdjustmentKind.DISMISSAL
        a.reason, a.proposed_at = REASON, now
        a.state = AdjustmentState.PROPOSED if stage < 0.6 else AdjustmentState.APPROVED
        if a.state == AdjustmentState.APPROVED:
            a.decided_at = now
            if a.kind == AdjustmentKind.DISMISSAL:
                worker.status = WorkerStatus.LEFT
            else:
                worker.post, worker.grade = a.new_post or worker.post, a.new_grade or worker.grade
            changed[worker.pk] = worker
        adjustments.append(a)
    Adjustment.objects.bulk_create(adjustments, batch_size=2000)
    CommunityWorker.objects.bulk_update(list(changed.values()), ["post", "grade", "status"],
                                        batch_size=2000)
    counts: dict[str, Any] = {"elected_directors": elected, "adjustments": len(adjustments)}
    for state in AdjustmentState.values:
        counts[f"adjustments_{state}"] = sum(1 for a in adjustments if a.state == state)
    return counts
