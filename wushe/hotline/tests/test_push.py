"""Status updates back to the fake platform: 受理 at receipt, 办结 with the result, one 回访 with
the rating; a push that times out is retried with the same update id and the platform acts on
each id once; a 5xx is retried, the periodic round sends what is due."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from wushe.core.jobs import JOBS
from wushe.hotline import push as hotline_push
from wushe.hotline.models import HotlineUpdate, Order, UpdateState
from wushe.hotline.tests.conftest import order
from wushe.hotline.tests.fakes import FakePlatform
from wushe.needs import services as need_services
from wushe.needs.models import Assignment

pytestmark = pytest.mark.django_db


def _receive(hotline: FakePlatform, capture: Any, number: str = "CQ-P-000001") -> Order:
    with capture(execute=True):
        assert hotline.send_order(Client(), order(number)).status_code == 201
    return Order.objects.unscoped().select_related("need").get(number=number)


def test_resolve_and_follow_up_go_back_to_the_platform(
        hotline: FakePlatform, staff_a: Any, django_capture_on_commit_callbacks: Any) -> None:
    o = _receive(hotline, django_capture_on_commit_callbacks)
    need = o.need
    with django_capture_on_commit_callbacks(execute=True):
        need_services.need_dispatch(actor=staff_a, need=need, assignments=[
            need_services.AssignmentSpec("committee", str(staff_a.pk), "lead")])
        lead = Assignment.objects.unscoped().get(need=need, role="lead")
        need_services.assignment_take(actor=staff_a, assignment=lead)
        need_services.need_resolve(actor=staff_a, need=need, result="已联系助餐点,每日送餐上门")
    with django_capture_on_commit_callbacks(execute=True):
        need_services.need_follow_up(actor=staff_a, need=need, method="call", score=5)
    statuses = [b["status"] for b in hotline.received]
    assert statuses == ["accepted", "resolved", "visited"]  # the rating's two steps: one 回访
    resolved, visited = hotline.received[1], hotline.received[2]
    assert resolved["result"] == "已联系助餐点,每日送餐上门" and resolved["order_number"] == o.number
    assert (visited["satisfaction"], visited["method"]) == (5, "call")
    assert hotline.bad_signatures == 0
    assert set(HotlineUpdate.objects.values_list("state", flat=True)) == {UpdateState.SENT}


def test_a_platform_that_times_out_gets_the_same_update_again_and_acts_once(
        hotline: FakePlatform, django_capture_on_commit_callbacks: Any) -> None:
    hotline.script = ["hang"]  # reads our push, never answers in time
    o = _receive(hotline, django_capture_on_commit_callbacks)
    upd = HotlineUpdate.objects.get(order=o)
    assert (upd.state, upd.attempts) == (UpdateState.RETRYING, 1)
    assert "timeout" in upd.last_error
    assert upd.next_at > timezone.now() + dt.timedelta(seconds=50)  # backoff, not at once
    assert hotline_push.push_due() == {"stuck": 0}  # not due yet: nothing sent
    HotlineUpdate.objects.filter(pk=upd.pk).update(next_at=timezone.now())
    assert JOBS["hotline.push_due"]()["sent"] == 1
    upd.refresh_from_db()
    assert (upd.state, upd.attempts) == (UpdateState.SENT, 2)
    # The platform saw the same id twice (the retry) and acted on it once.
    assert hotline.ids_received() == [str(upd.uid), str(upd.uid)]
    assert hotline.processed == {str(upd.uid): 1}
    assert hotline_push.push_due() == {"stuck": 0}  # sent: never again


def test_a_5xx_is_retried_and_a_4xx_fails(hotline: FakePlatform,
                                           django_capture_on_commit_callbacks: Any) -> None:
    hotline.script = ["503", "400"]
    o = _receive(hotline, django_capture_on_commit_callbacks)
    upd = HotlineUpdate.objects.get(order=o)
    assert upd.state == UpdateState.RETRYING and hotline.received == []
    HotlineUpdate.objects.filter(pk=upd.pk).update(next_at=timezone.now())
    hotline_push.push_due()
    upd.refresh_from_db()
    assert upd.state == UpdateState.FAILED and upd.attempts == 2
    assert hotline.received == []


def test_a_push_is_claimed_once(hotline: FakePlatform,
                                django_capture_on_commit_callbacks: Any) -> None:
    o = _receive(hotline, django_capture_on_commit_callbacks)
    upd = HotlineUpdate.objects.get(order=o)
    assert upd.state == UpdateState.SENT
    assert hotline_push.push_one(upd.pk) == "skipped"  # a task run twice sends once
    assert len(hotline.received) == 1


def test_a_worker_that_died_while_sending_is_picked_up(
        hotline: FakePlatform, settings: Any, django_capture_on_commit_callbacks: Any) -> None:
    settings.WUSHE_HOTLINE_PUSH_URL = ""  # queued only
    with django_capture_on_commit_callbacks(execute=True):
        hotline.send_order(Client(), order("CQ-S-000001"))
    settings.WUSHE_HOTLINE_PUSH_URL = hotline.url
    HotlineUpdate.objects.update(state=UpdateState.SENDING,
                                 next_at=timezone.now() - dt.timedelta(seconds=1))
    assert hotline_push.push_due() == {"stuck": 1, "sent": 1}
    assert len(hotline.received) == 1
