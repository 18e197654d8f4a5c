# ruff: noqa: F811  (fixtures imported from the needs tests)
"""notifications.scan.work_scan: every new work item is announced once to the accounts whose
scoped producer shows it; the first scan is silent; a burst is one notification."""

from __future__ import annotations

from typing import Any

from wushe.needs.models import Need
from wushe.needs.tests.conftest import street_user, submit  # noqa: F401  (fixtures)
from wushe.notifications.models import Notification, WorkSnapshot
from wushe.notifications.scan import BURST, work_scan


def mine(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def test_first_scan_only_records(submit: Any, staff_a: Any, community_a: Any) -> None:
    need = submit(community_a)
    work_scan()
    assert mine(staff_a) == []
    snap = WorkSnapshot.objects.get(user=staff_a)
    assert snap.items["needs.need.accept"] == [need.pk]


def test_new_item_announced_once(submit: Any, staff_a: Any, community_a: Any) -> None:
    work_scan()
    need = submit(community_a)
    result = work_scan()
    assert result["announced"] >= 1
    [n] = mine(staff_a)
    assert n.kind == "needs.need.accept" and n.key == f"work:needs.need.accept:{need.pk}"
    assert need.tracking_code in n.title and n.link.startswith("http")
    assert n.link.endswith(f"/needs/{need.pk}/") and n.due == need.due_on and not n.urgent
    # the contact's name and the description never reach a title
    assert "王小明" not in n.title and "独居老人" not in n.title
    work_scan()
    assert len(mine(staff_a)) == 1  # not again while it stays open


def test_out_of_scope_items_are_never_announced(submit: Any, staff_a: Any, staff_b: Any,
                                               community_a: Any) -> None:
    work_scan()
    submit(community_a)
    work_scan()
    assert len(mine(staff_a)) == 1
    assert mine(staff_b) == []  # another community's staff


def test_burst_is_one_notification(submit: Any, staff_a: Any, community_a: Any) -> None:
    work_scan()
    for _ in range(BURST + 2):
        submit(community_a)
    work_scan()
    [n] = mine(staff_a)
    assert n.count == BURST + 2 and str(BURST + 2) in n.title
    assert n.link.endswith("/work/?kind=needs.need.accept")


def test_burst_of_exactly_the_limit_is_told_one_by_one(submit: Any, staff_a: Any,
                                                       community_a: Any) -> None:
    work_scan()
    for _ in range(BURST):
        submit(community_a)
    work_scan()
    assert len(mine(staff_a)) == BURST


def test_disabled_account_is_not_scanned(submit: Any, staff_a: Any, community_a: Any) -> None:
    from django.utils import timezone

    work_scan()
    type(staff_a).objects.filter(pk=staff_a.pk).update(disabled_at=timezone.now())
    submit(community_a)
    work_scan()
    assert mine(staff_a) == []


def test_overdue_items_are_urgent(submit: Any, staff_a: Any, street_user: Any,
                                  community_a: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from wushe.needs import services

    need = services.need_accept(actor=staff_a, need=submit(community_a))
    work_scan()
    Need.objects.unscoped().filter(pk=need.pk).update(
        due_on=timezone.localdate() - dt.timedelta(days=10))
    work_scan()
    [n] = [n for n in mine(street_user) if n.kind == "needs.need.overdue"]
    assert n.urgent
