"""The demo step of the opening balances: one draft proposed by district_admin, waiting in
district_admin_b's inbox, never approved (an approved one would change the seed figures)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from wushe.audit.models import AuditEvent
from wushe.inbox.selectors import work_groups
from wushe.openings import demo, figures
from wushe.openings.models import OpeningBalance, OpeningState
from wushe.reports.kpis import KPIS


def _run(make_user: Callable[..., Any], district: Any) -> tuple[Any, Any, dict[str, int]]:
    from wushe.demo.profiles import get_profile
    from wushe.demo.steps import DemoContext

    proposer = make_user("district_admin", district, demo.PROPOSER)
    approver = make_user("district_admin", district, demo.APPROVER)
    ctx = DemoContext(get_profile("small"), 1, {district.code: district}, lambda _m: None)
    return proposer, approver, demo.build_openings(ctx)


def test_the_step_leaves_one_pending_balance_proposed_by_district_admin(
        make_user: Callable[..., Any], district: Any) -> None:
    proposer, _approver, result = _run(make_user, district)
    assert result == {"pending_balances": 1}
    balance = OpeningBalance.objects.unscoped().get()
    assert balance.state == OpeningState.DRAFT and balance.decided_by_id is None
    assert balance.proposed_by_id == proposer.pk
    assert balance.region_id == district.pk and balance.kpi_key == "projects.purchased"
    assert figures.accepts(KPIS[balance.kpi_key])
    assert balance.as_of == dt.date(2012, 12, 31)  # the demo's projects start in 2013
    assert balance.value == Decimal(demo.VALUE) and balance.source == "区民政局年报"
    # Through the service: its audit event is there.
    assert AuditEvent.objects.unscoped().filter(action="openings.balance.proposed",
                                                actor=proposer).count() == 1
    assert figures.current() == {}  # nothing approved: no figure changes


def test_district_admin_b_finds_it_in_the_inbox_and_the_proposer_does_not(
        make_user: Callable[..., Any], district: Any) -> None:
    proposer, approver, _ = _run(make_user, district)
    balance = OpeningBalance.objects.unscoped().get()
    groups = {g.kind: g for g in work_groups(actor=approver)}
    group = groups["openings.balance.approve"]
    assert group.count == 1
    assert group.items[0]["link"] == f"/openings/{balance.pk}/"
    assert "购买项目" in group.items[0]["title"]
    assert "openings.balance.approve" not in {g.kind for g in work_groups(actor=proposer)}


def test_the_step_runs_after_the_apps_it_needs() -> None:
    from wushe.demo.steps import STEPS

    mine = STEPS["openings"].order
    assert all(STEPS[name].order < mine for name in ("policies", "projects", "definitions"))
    assert mine < STEPS["reports"].order
