"""The evaluation step of the small demo: the evaluator's open evaluation, decided ones whose
stored figures are what scoring.py computes, and project outcomes that match the decisions."""

from __future__ import annotations

from pathlib import Path

import pytest

from wushe.accounts.models import User
from wushe.core.scoping import scopes_disabled
from wushe.demo.build import build_demo
from wushe.evaluation import scoring, selectors, services
from wushe.evaluation.models import CommitteeMember, EvalStatus, Evaluation
from wushe.evaluation.stats import evaluation_figures
from wushe.orgs.models import SocialOrganization, StatusChange
from wushe.orgs.stats import org_figures


@pytest.mark.django_db
def test_small_demo_evaluation(tmp_path: Path) -> None:
    summary = build_demo(profile="small", seed=2026, out_dir=tmp_path)
    assert summary.steps["evaluation"]["evaluations"] >= 5
    evaluator = User.objects.get(username="evaluator")
    seats = list(selectors.my_seats(actor=evaluator))
    assert len(seats) == 1
    seat = seats[0]
    ev = seat.evaluation
    assert ev.status == EvalStatus.OPEN and ev.stage == "midterm" and seat.party == "expert"
    assert ev.project.status == "in_service" and ev.project.region.name == "杨家坪街道"
    org_staff = User.objects.get(username="org_staff")
    from wushe.accounts import scope
    assert ev.provider_id in scope.object_ids(org_staff, "org", "projects.view")
    others = CommitteeMember.objects.filter(evaluation=ev).exclude(pk=seat.pk)
    assert others.count() >= 3 and all(m.total is not None for m in others)
    with scopes_disabled():
        for stored in Evaluation.objects.exclude(status=EvalStatus.OPEN).select_related(
                "project"):
            result = scoring.compute(stored)
            assert result.complete
            assert (result.total, result.grade) == (stored.total, stored.grade), stored.pk
            for party in ("purchaser", "street", "recipients", "expert"):
                assert result.party_scores[party] == stored.party_score(party)
            if stored.stage == "final" and stored.status == EvalStatus.DECIDED:
                assert stored.project.status == "closed"
                assert (stored.decision == "renew") == (stored.project.outcome == "renewed")
        figures = evaluation_figures("500107")
        assert figures["evaluation.excellent_orgs"] >= 1
        assert figures["evaluation.eliminated"] >= 1
        # The two 淘汰 figures agree: each organisation a decided evaluation eliminated has the
        # status eliminated (through the service), and no other organisation has it.
        orgs = org_figures("500107")
        assert orgs["orgs.eliminated"] == figures["evaluation.eliminated"] \
            == summary.steps["evaluation"]["eliminated"]
        by_decision = set(Evaluation.objects.filter(status=EvalStatus.DECIDED,
                                                    decision="eliminate")
                          .values_list("provider_id", flat=True))
        assert set(SocialOrganization.objects.filter(status="eliminated")
                   .values_list("pk", flat=True)) == by_decision
        assert StatusChange.objects.filter(org_id__in=by_decision, to_status="eliminated",
                                           reason__contains="淘汰").count() == len(by_decision)
    # The evaluator can finish it, which makes it ready for the district's decision.
    services.scores_submit(actor=evaluator, member=seat,
                           scores={i.pk: (i.max_score, "") for i in selectors.indicators(ev)})
    ev.refresh_from_db()
    assert ev.status == EvalStatus.SCORED and ev.total is not None
