"""The demo step: the small district gets needs in every state with consistent histories,
care profiles, 25 ledgers and ideas; the tick runs on it; the accounts see their scope."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from wushe.accounts.models import User
from wushe.core.figures import collect_stats
from wushe.demo.build import BuildSummary, build_demo
from wushe.needs import selectors
from wushe.needs.models import Need, NeedEvent
from wushe.needs.sla_job import run_sla
from wushe.needs.workflow import State
from wushe.regions.models import Region
from wushe.residents.models import CareProfile, Ledger


@pytest.fixture
def built(db: Any, tmp_path: Path) -> BuildSummary:
    return build_demo(profile="small", seed=2026, out_dir=tmp_path)


def test_small_demo_has_needs_in_every_state(built: BuildSummary) -> None:
    counts = built.steps["needs"]
    assert counts["needs"] == Need.objects.unscoped().count() == 600
    assert counts["ledgers"] == Ledger.objects.unscoped().count() == 25
    assert counts["care_profiles"] == CareProfile.objects.unscoped().count()
    states = set(Need.objects.unscoped().values_list("state", flat=True))
    assert states >= {State.ACCEPTED, State.DISPATCHED, State.IN_PROGRESS, State.RESOLVED,
                      State.CLOSED, State.DECLINED}


def test_each_demo_need_history_ends_in_its_state(built: BuildSummary) -> None:
    last: dict[int, str] = {}
    first: dict[int, str] = {}
    for need_id, action, to_state in NeedEvent.objects.unscoped().order_by(
            "need_id", "at", "id").values_list("need_id", "action", "to_state"):
        first.setdefault(need_id, action)
        last[need_id] = to_state
    needs = dict(Need.objects.unscoped().values_list("pk", "state"))
    assert set(first.values()) == {"submit"}
    assert {pk: last[pk] for pk in needs} == needs


def test_demo_figures_are_plausible(built: BuildSummary) -> None:
    district = Region.objects.unscoped().get(parent=None)
    figures = collect_stats(district.path)
    assert figures["needs.total"] == 600
    assert 0.6 < figures["needs.on_time_rate"] < 1
    assert 4 < figures["needs.satisfaction_avg"] <= 5
    assert 0.2 < figures["needs.linkage_rate"] < 0.9
    assert figures["needs.ideas"] == 30


def test_the_sla_job_on_the_demo_is_idempotent(built: BuildSummary) -> None:
    run_sla()
    second = run_sla()
    assert second.get("escalated", 0) == 0 and second.get("reminded", 0) == 0


def test_demo_accounts_see_their_needs(built: BuildSummary) -> None:
    staff = User.objects.get(username="community_staff_a")
    other = User.objects.get(username="community_staff_b")
    mine = list(selectors.need_list(actor=staff, filters=selectors.NeedFilters(bucket="all")))
    theirs = {n.pk for n in selectors.need_list(actor=other,
                                                filters=selectors.NeedFilters(bucket="all"))}
    assert mine and theirs and not ({n.pk for n in mine} & theirs)
    assert any(n.state == State.ACCEPTED for n in mine)
    street = User.objects.get(username="street_staff")
    visible = selectors.need_list(actor=street, filters=selectors.NeedFilters(bucket="all"))
    assert visible.count() >= len(mine) + len(theirs)


def test_demo_ideas_have_budgets_support_and_money(built: BuildSummary) -> None:
    from django.db.models import Sum

    from wushe.needs.ideas_selectors import budget_remaining
    from wushe.needs.models import Idea, IdeaAllocation, IdeaBudget, IdeaSupport

    counts = built.steps["ideas_money"]
    assert counts["budgets"] == IdeaBudget.objects.unscoped().count() > 0
    assert IdeaSupport.objects.filter(confirmed_at__isnull=False).count() == counts["supports"] > 0
    online = Idea.objects.unscoped().aggregate(s=Sum("support_count"))["s"]
    assert online == counts["supports"]
    allocations = list(IdeaAllocation.objects.unscoped().select_related("disbursement", "budget"))
    assert allocations and counts["allocations_paid"] > 0
    assert {a.disbursement.status for a in allocations} >= {"paid"}
    for a in allocations:
        assert a.disbursement.amount == a.amount and a.disbursement.fund_id == a.budget.fund_id
        assert budget_remaining(a.budget) >= 0
    print("ideas_money", counts, built.seconds.get("ideas_money"))
