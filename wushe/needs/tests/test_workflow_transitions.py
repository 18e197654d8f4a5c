"""Every legal and illegal transition: the table itself, and each service from each state.

A refused transition raises IllegalTransition in both languages and changes nothing: same
state, no new NeedEvent, no new AuditEvent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import IllegalTransition
from wushe.needs import services, workflow
from wushe.needs.models import Assignment, Need, NeedEvent
from wushe.needs.tests.conftest import committee
from wushe.needs.workflow import TRANSITIONS, Action, State


@pytest.mark.parametrize("action", list(TRANSITIONS))
@pytest.mark.parametrize("state", list(State.values))
def test_table_allows_exactly_its_sources(state: str, action: str) -> None:
    sources, to = TRANSITIONS[action]
    if state in sources:
        assert workflow.check(state, action) == (state if to is None else to)
    else:
        with pytest.raises(IllegalTransition) as exc:
            workflow.check(state, action)
        assert exc.value.code == "illegal_transition"
        assert "不能" in exc.value.zh and "cannot" in exc.value.en


def test_the_main_line_is_in_the_table() -> None:
    line = [(Action.ACCEPT, State.SUBMITTED, State.ACCEPTED),
            (Action.DISPATCH, State.ACCEPTED, State.DISPATCHED),
            (Action.TAKE, State.DISPATCHED, State.TAKEN),
            (Action.HANDLE, State.TAKEN, State.IN_PROGRESS),
            (Action.RESOLVE, State.IN_PROGRESS, State.RESOLVED),
            (Action.FOLLOW_UP, State.RESOLVED, State.FOLLOWED_UP),
            (Action.RATE, State.FOLLOWED_UP, State.CLOSED),
            (Action.RETURN, State.TAKEN, State.ACCEPTED),
            (Action.REOPEN, State.CLOSED, State.ACCEPTED),
            (Action.MERGE, State.ACCEPTED, State.MERGED)]
    for action, before, after in line:
        assert workflow.check(before, action) == after


def bring(state: str, ctx: dict[str, Any]) -> Need:
    """A need in ``state``, made only through the services."""
    submit, staff = ctx["submit"], ctx["staff"]
    need = submit(ctx["community"])
    if state == State.SUBMITTED:
        return need
    if state == State.DECLINED:
        return services.need_decline(actor=staff, need=need, reason="不属于受理范围")
    if state == State.MERGED:
        other = submit(ctx["community"])
        return services.need_merge(actor=staff, need=need, into=other)
    need = services.need_accept(actor=staff, need=need)
    if state == State.ACCEPTED:
        return need
    need = services.need_dispatch(actor=staff, need=need, assignments=[committee(staff)])
    if state == State.DISPATCHED:
        return need
    lead = Assignment.objects.unscoped().get(need=need, role="lead")
    services.assignment_take(actor=staff, assignment=lead)
    need.refresh_from_db()
    if state == State.TAKEN:
        return need
    need = services.need_handle(actor=staff, need=need)
    if state == State.IN_PROGRESS:
        return need
    need = services.need_resolve(actor=staff, need=need, result="已上门助餐")
    if state == State.RESOLVED:
        return need
    need = services.need_follow_up(actor=staff, need=need, method="call", note="电话回访")
    if state == State.FOLLOWED_UP:
        return need
    return services.need_rate_public(tracking_code=need.tracking_code, score=5)


# action -> (the table's action, the service call)
CALLS: dict[str, tuple[str, Callable[[Need, dict[str, Any]], Any]]] = {
    "accept": (Action.ACCEPT, lambda n, c: services.need_accept(actor=c["staff"], need=n)),
    "decline": (Action.DECLINE, lambda n, c: services.need_decline(actor=c["staff"], need=n,
                                                                   reason="重复")),
    "assign": (Action.ASSIGN, lambda n, c: services.need_dispatch(
        actor=c["staff"], need=n, assignments=[committee(c["other_staff"], "support")])),
    "handle": (Action.HANDLE, lambda n, c: services.need_handle(actor=c["staff"], need=n)),
    "resolve": (Action.RESOLVE, lambda n, c: services.need_resolve(actor=c["staff"], need=n,
                                                                   result="已办结")),
    "follow_up": (Action.FOLLOW_UP, lambda n, c: services.need_follow_up(
        actor=c["staff"], need=n, method="call")),
    "rate": (Action.RATE, lambda n, c: services.need_rate_public(tracking_code=n.tracking_code,
                                                                score=4)),
    "reopen": (Action.REOPEN, lambda n, c: services.need_reopen(actor=c["staff"], need=n,
                                                                reason="居民反映未解决")),
    "extend": (Action.EXTEND, lambda n, c: services.need_extend(actor=c["staff"], need=n, days=2,
                                                                reason="需协调外部资源")),
    "escalate": (Action.ESCALATE, lambda n, c: services.need_escalate(actor=c["staff"], need=n,
                                                                      reason="需街道协调")),
    "merge": (Action.MERGE, lambda n, c: services.need_merge(actor=c["staff"], need=n,
                                                             into=c["submit"](c["community"]))),
    "note": (Action.NOTE, lambda n, c: services.need_note(actor=c["staff"], need=n, note="已联系")),
}


@pytest.fixture
def ctx(submit: Any, staff_a: Any, community_a: Any, make_user: Any) -> dict[str, Any]:
    return {"submit": submit, "staff": staff_a, "community": community_a,
            "other_staff": make_user("community_staff", community_a, "staff_a2")}


@pytest.mark.parametrize("name", list(CALLS))
@pytest.mark.parametrize("state", list(State.values))
def test_each_service_from_each_state(state: str, name: str, ctx: dict[str, Any]) -> None:
    if name == "assign" and state == State.ACCEPTED:
        pytest.skip("from accepted the same service dispatches (test_services_dispatch.py)")
    need = bring(state, ctx)
    assert need.state == state
    action, call = CALLS[name]
    events = NeedEvent.objects.unscoped().filter(need=need).count()
    audits = AuditEvent.objects.unscoped().count()
    if workflow.allowed(state, action):
        call(need, ctx)
        need.refresh_from_db()
        expected = workflow.target(action)
        if name == "rate":
            expected = State.CLOSED  # 4 is not a poor rating
        assert need.state == (state if expected is None else expected)
        assert NeedEvent.objects.unscoped().filter(need=need, action=action).exists()
    else:
        with pytest.raises(IllegalTransition):
            call(need, ctx)
        need.refresh_from_db()
        assert need.state == state
        assert NeedEvent.objects.unscoped().filter(need=need).count() == events
        new_audits = AuditEvent.objects.unscoped().count() - audits
        # a merge target made inside the call is the only thing allowed to exist (it rolled
        # back too: the whole service is one transaction)
        assert new_audits == (1 if name == "merge" else 0)


def test_every_event_has_actor_and_time(ctx: dict[str, Any]) -> None:
    need = bring(State.CLOSED, ctx)
    events = list(NeedEvent.objects.unscoped().filter(need=need).order_by("at", "id"))
    assert [e.action for e in events] == [
        Action.SUBMIT, Action.ACCEPT, Action.DISPATCH, Action.TAKE, Action.HANDLE,
        Action.RESOLVE, Action.FOLLOW_UP, Action.RATE]
    assert all(e.at for e in events)
    staff_events = [e for e in events if e.action not in (Action.SUBMIT, Action.RATE)]
    assert all(e.actor_id == ctx["staff"].pk and e.actor_name for e in staff_events)
    assert events[0].actor_id is None  # the resident, no account
    pairs = [(e.from_state, e.to_state) for e in events]
    assert pairs[1] == (State.SUBMITTED, State.ACCEPTED)
    assert pairs[-1] == (State.FOLLOWED_UP, State.CLOSED)


def test_events_are_append_only(ctx: dict[str, Any]) -> None:
    from wushe.audit.models import AppendOnlyError

    need = bring(State.ACCEPTED, ctx)
    ev = NeedEvent.objects.unscoped().filter(need=need).first()
    assert ev is not None
    ev.note = "改写历史"
    with pytest.raises(AppendOnlyError):
        ev.save()
    with pytest.raises(AppendOnlyError):
        NeedEvent.objects.unscoped().filter(need=need).delete()
