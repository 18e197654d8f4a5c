"""The demand menu (aggregation, page, export) and the needs figures of ``wushe stats``, each
checked against an independent query."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from wushe.audit.models import AuditEvent
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.figures import collect_stats
from wushe.needs import menu, services
from wushe.needs.models import Assignment, Idea, Need
from wushe.needs.tests.conftest import client_for, committee
from wushe.needs.workflow import State
from wushe.residents.models import Ledger


@pytest.fixture
def mixed(submit: Any, staff_a: Any, staff_b: Any, worker_a: Any, community_a: Any,
          community_b: Any) -> dict[str, Any]:
    """Needs in every shape: channels, groups, states, on time or late, one or two societies."""
    a1 = submit(community_a, category="elderly_care", target_group="elderly")
    a2 = submit(community_a, category="elderly_care", target_group="elderly")
    a3 = submit(community_a, category="child_care", target_group="minor")
    services.need_intake(actor=staff_b, channel="window", region=community_b,
                         category="temporary_relief", description="急需临时救助",
                         contact_phone="13700000001", target_group="hardship")
    services.need_intake(actor=staff_b, channel="hotline", region=community_b,
                         category="policy", description="咨询低保政策", contact_phone="13700000002")
    # a1: two societies, resolved on time, rated 5
    n = services.need_accept(actor=staff_a, need=a1)
    services.need_dispatch(actor=staff_a, need=n, assignments=[
        committee(staff_a), services.AssignmentSpec("social_worker", str(worker_a.pk),
                                                     "support")])
    for a in Assignment.objects.unscoped().filter(need=n).order_by("-role"):
        services.assignment_take(actor=staff_a, assignment=a)
    n.refresh_from_db()
    n = services.need_resolve(actor=staff_a, need=n, result="已上门助餐")
    services.need_rate_public(tracking_code=n.tracking_code, score=5)
    # a2: one society, resolved late, rated 3
    n = services.need_accept(actor=staff_a, need=a2)
    services.need_dispatch(actor=staff_a, need=n, assignments=[committee(staff_a)])
    services.assignment_take(actor=staff_a,
                             assignment=Assignment.objects.unscoped().get(need=n))
    Need.objects.unscoped().filter(pk=n.pk).update(due_on=dt.date(2026, 1, 5))
    n.refresh_from_db()
    n = services.need_resolve(actor=staff_a, need=n, result="已办结")
    services.need_rate_public(tracking_code=n.tracking_code, score=3)
    services.need_decline(actor=staff_a, need=a3, reason="不属于受理范围")
    return {"a1": a1, "a2": a2}


def test_stats_match_independent_queries(mixed: Any, district: Any, root: Any,
                                         community_a: Any) -> None:
    from wushe.residents.services import ledger_create

    ledger_create(actor=root, region=community_a, name="一老一小一困台账")
    services.idea_submit(actor=root, region=community_a, title="共享菜园", body="利用闲置空地")
    figures = collect_stats(district.path)
    needs = Need.objects.unscoped()
    assert figures["needs.total"] == needs.count() == 5
    for channel in ("online", "offline", "window", "hotline", "grid"):
        assert figures[f"needs.by_channel.{channel}"] == needs.filter(channel=channel).count()
    for state in State.values:
        assert figures[f"needs.by_status.{state}"] == needs.filter(state=state).count()
    for group in ("elderly", "minor", "hardship"):
        assert figures[f"needs.by_target_group.{group}"] == needs.filter(
            target_group=group).count()
    resolved = [n for n in needs if n.resolved_at is not None]
    on_time = [n for n in resolved if n.resolved_at.date() <= n.due_on]
    assert figures["needs.on_time_rate"] == round(len(on_time) / len(resolved), 4) == 0.5
    assert figures["needs.satisfaction_avg"] == round(
        needs.exclude(satisfaction=None).aggregate(a=Avg("satisfaction"))["a"], 2) == 4.0
    done = [n for n in needs if n.state in ("resolved", "followed_up", "closed")]
    linked = [n for n in done if len({
        {"committee": "committee", "social_worker": "social_worker"}[a.society]
        for a in Assignment.objects.unscoped().filter(need=n, state="done")}) >= 2]
    assert figures["needs.linkage_rate"] == round(len(linked) / len(done), 4) == 0.5
    assert figures["needs.ledgers"] == Ledger.objects.unscoped().filter(active=True).count() == 1
    assert figures["needs.ideas"] == Idea.objects.unscoped().count() == 1
    # a community's figures are its own
    assert collect_stats(community_a.path)["needs.total"] == 3


def test_stats_of_an_empty_region_are_none_not_errors(district: Any) -> None:
    figures = collect_stats(district.path)
    assert figures["needs.total"] == 0
    assert figures["needs.on_time_rate"] is None and figures["needs.linkage_rate"] is None


def test_demand_menu_aggregates_by_area_category_and_group(mixed: Any, street_user: Any,
                                                           community_a: Any) -> None:
    today = timezone.localdate()
    rows = menu.demand_menu(actor=street_user, query=menu.MenuQuery(start=today, end=today))
    key = {(r["area"], r["category"], r["target_group"]): r for r in rows}
    elderly = key[(community_a.path, "elderly_care", "elderly")]
    assert elderly["total"] == 2 and elderly["done"] == 2 and elderly["on_time"] == 1
    assert elderly["area_name"] == community_a.name and elderly["satisfaction"] == 4.0
    by_street = menu.demand_menu(actor=street_user, query=menu.MenuQuery(
        start=today, end=today, by="street"))
    assert sum(r["total"] for r in by_street) == sum(r["total"] for r in rows) == 5
    assert {r["area"] for r in by_street} == {community_a.path[:9]}
    only = menu.demand_menu(actor=street_user, query=menu.MenuQuery(
        start=today, end=today, category="policy"))
    assert [r["category"] for r in only] == ["policy"]


def test_demand_menu_is_scoped_and_checked(mixed: Any, staff_a: Any, community_a: Any,
                                           community_b: Any) -> None:
    today = timezone.localdate()
    rows = menu.demand_menu(actor=staff_a, query=menu.MenuQuery(start=today, end=today))
    assert {r["area"] for r in rows} == {community_a.path}
    with pytest.raises(NotFound):
        menu.demand_menu(actor=staff_a, query=menu.MenuQuery(start=today, end=today,
                                                             region_code=community_b.code))
    with pytest.raises(ValidationFailed):
        menu.demand_menu(actor=staff_a, query=menu.MenuQuery(
            start=today, end=today - dt.timedelta(days=1)))


def test_demand_menu_page_and_export(mixed: Any, street_user: Any, community_a: Any) -> None:
    client = client_for(street_user)
    html = client.get(reverse("needs:menu")).content.decode()
    assert 'data-testid="menu-table"' in html and community_a.name in html
    response = client.get(reverse("needs:menu") + "?by=street&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0].startswith("地区代码") and sum(r[5] for r in rows[1:]) == 5
    assert AuditEvent.objects.unscoped().filter(action="needs.need.menu_exported").count() == 1


def test_demand_menu_api(mixed: Any, street_user: Any) -> None:
    from wushe.needs.tests.conftest import bearer

    rows = client_for(street_user).get("/api/v1/needs/menu?by=community",
                                       **bearer("street_user")).json()
    assert sum(r["total"] for r in rows) == 5
