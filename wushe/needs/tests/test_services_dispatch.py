"""Dispatch across the societies: one lead, supporters, take and return, the provider hooks,
the societies that took part, and suggestions with their reasons."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from wushe.accounts.labels import user_label
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.needs import linkage, selectors, services
from wushe.needs.linkage import BaseProvider, Candidate, ScorePart, Society
from wushe.needs.models import Assignment, AssignmentState, Need
from wushe.needs.tests.conftest import committee
from wushe.needs.workflow import State


class FakeFundProvider(BaseProvider):
    """What the charity app's provider will look like: eligibility, balance, a hook."""

    society = Society.FUND

    def __init__(self) -> None:
        self.assigned: list[int] = []
        self.finished: list[tuple[int, str]] = []

    def suggest(self, need: Need, *, limit: int) -> list[Candidate]:
        parts = (ScorePart("eligible", 30, "资助范围覆盖该类诉求", "Covers this category"),
                 ScorePart("balance", 10, "余额充足", "Enough balance"))
        return [Candidate(self.society, "7", "慈善纾困基金", parts)][:limit]

    def on_assign(self, assignment: Assignment, *, actor: Any) -> str:
        self.assigned.append(assignment.pk)
        return f"charity.disbursement:{100 + assignment.pk}"

    def on_finish(self, assignment: Assignment, *, actor: Any, outcome: str) -> None:
        self.finished.append((assignment.pk, outcome))

    def may_act(self, actor: Any, assignment: Assignment) -> bool:
        return getattr(actor, "username", "") == "fund_manager_x"

    def acting_for(self, actor: Any) -> list[str]:
        return ["7"] if getattr(actor, "username", "") == "fund_manager_x" else []


@pytest.fixture
def fund() -> Iterator[FakeFundProvider]:
    saved = dict(linkage.PROVIDERS)
    provider = FakeFundProvider()
    linkage.register(provider)
    yield provider
    linkage.PROVIDERS.clear()
    linkage.PROVIDERS.update(saved)


def _lead(need: Need) -> Assignment:
    return Assignment.objects.unscoped().get(need=need, role="lead")


def test_dispatch_needs_exactly_one_lead(accepted: Need, staff_a: Any) -> None:
    with pytest.raises(ValidationFailed) as exc:
        services.need_dispatch(actor=staff_a, need=accepted,
                               assignments=[committee(staff_a, "support")])
    assert exc.value.code == "one_lead"
    with pytest.raises(ValidationFailed):
        services.need_dispatch(actor=staff_a, need=accepted, assignments=[])
    accepted.refresh_from_db()
    assert accepted.state == State.ACCEPTED
    assert not Assignment.objects.unscoped().exists()


def test_dispatch_refuses_an_ineligible_assignee(accepted: Need, staff_a: Any,
                                                 staff_b: Any) -> None:
    # staff_b serves another community: not a committee candidate for this need
    with pytest.raises(ValidationFailed) as exc:
        services.need_dispatch(actor=staff_a, need=accepted, assignments=[committee(staff_b)])
    assert exc.value.code == "not_eligible"
    with pytest.raises(ValidationFailed) as exc:  # no such organisation near the need
        services.need_dispatch(actor=staff_a, need=accepted, assignments=[
            services.AssignmentSpec("organisation", "999999", "lead")])
    assert exc.value.code == "not_eligible"
    from wushe.needs.linkage import PROVIDERS

    provider = PROVIDERS.pop("organisation")
    try:  # a society whose app is not installed
        with pytest.raises(ValidationFailed) as exc:
            services.need_dispatch(actor=staff_a, need=accepted, assignments=[
                services.AssignmentSpec("organisation", "1", "lead")])
        assert exc.value.code == "no_provider"
    finally:
        PROVIDERS["organisation"] = provider


def test_dispatch_to_committee_and_fund_with_hooks(accepted: Need, staff_a: Any,
                                                   fund: FakeFundProvider) -> None:
    need = services.need_dispatch(actor=staff_a, need=accepted, assignments=[
        committee(staff_a), services.AssignmentSpec("fund", "7", "support", "800")], note="请尽快")
    assert need.state == State.DISPATCHED and need.dispatched_at
    lead, support = list(Assignment.objects.unscoped().filter(need=need).order_by("id"))
    assert lead.role == "lead" and lead.user_id == staff_a.pk
    assert lead.label == user_label(staff_a) != staff_a.username  # a name, never the login
    assert lead.reasons and lead.reasons[0]["code"] == "placement"
    assert support.external_ref == f"charity.disbursement:{100 + support.pk}"
    assert fund.assigned == [support.pk]
    # nobody has taken part yet
    assert need.society_count == 0
    services.assignment_take(actor=staff_a, assignment=lead)
    need.refresh_from_db()
    assert need.state == State.TAKEN and need.society_list == ["committee"]
    # the supporter's side takes its part: the need stays taken, two societies now
    fund_user = _make_fund_user()
    services.assignment_take(actor=fund_user, assignment=support)
    need.refresh_from_db()
    assert need.state == State.TAKEN
    assert need.society_list == ["committee", "charity"] and need.society_count == 2
    need = services.need_resolve(actor=staff_a, need=need, result="已发放临时救助金")
    assert {a.state for a in Assignment.objects.unscoped().filter(need=need)} == {"done"}
    assert fund.finished == [(support.pk, "done")]


def _make_fund_user() -> Any:
    from wushe.accounts.services import user_create

    return user_create(actor=None, username="fund_manager_x", password="x", check_password=False)


def test_assignee_without_region_scope_sees_and_takes_its_need(accepted: Need, staff_a: Any,
                                                               fund: FakeFundProvider) -> None:
    services.need_dispatch(actor=staff_a, need=accepted, assignments=[
        committee(staff_a), services.AssignmentSpec("fund", "7", "support", "800")])
    outsider = _make_fund_user()
    assert selectors.need_get(actor=outsider, need_id=accepted.pk).pk == accepted.pk
    assert [n.pk for n in selectors.need_list(actor=outsider)] == [accepted.pk]
    # but it cannot take the lead's part, nor see suggestions
    with pytest.raises(PermissionDenied):
        services.assignment_take(actor=outsider, assignment=_lead(accepted))
    with pytest.raises(PermissionDenied):
        selectors.need_suggestions(actor=outsider, need=accepted)


def test_lead_return_sends_the_need_back(accepted: Need, staff_a: Any) -> None:
    services.need_dispatch(actor=staff_a, need=accepted, assignments=[committee(staff_a)])
    lead = _lead(accepted)
    services.assignment_take(actor=staff_a, assignment=lead)
    with pytest.raises(ValidationFailed):
        services.assignment_return(actor=staff_a, assignment=lead, reason="")
    services.assignment_return(actor=staff_a, assignment=lead, reason="不在服务范围,请改派")
    accepted.refresh_from_db()
    lead.refresh_from_db()
    assert accepted.state == State.ACCEPTED
    assert lead.state == AssignmentState.RETURNED and lead.return_reason
    assert accepted.society_count == 0  # a returned assignment did not serve
    # dispatched again to someone else
    from wushe.accounts.services import user_create

    other = user_create(actor=None, username="staff_a3", password="x", check_password=False,
                        grants=[("community_staff", accepted.community)])
    services.need_dispatch(actor=staff_a, need=accepted, assignments=[committee(other)])
    accepted.refresh_from_db()
    assert accepted.state == State.DISPATCHED


def test_supporters_can_be_added_while_handling(accepted: Need, staff_a: Any,
                                                worker_a: Any) -> None:
    services.need_dispatch(actor=staff_a, need=accepted, assignments=[committee(staff_a)])
    services.need_dispatch(actor=staff_a, need=accepted, assignments=[
        services.AssignmentSpec("social_worker", str(worker_a.pk), "support")])
    assert Assignment.objects.unscoped().filter(need=accepted).count() == 2
    with pytest.raises(Conflict):  # the same assignee twice
        services.need_dispatch(actor=staff_a, need=accepted, assignments=[
            services.AssignmentSpec("social_worker", str(worker_a.pk), "support")])


def test_suggestions_rank_every_society_with_reasons(accepted: Need, staff_a: Any,
                                                     worker_a: Any, make_user: Any,
                                                     street: Any,
                                                     fund: FakeFundProvider) -> None:
    station = make_user("social_worker", street, "worker_street")
    found = selectors.need_suggestions(actor=staff_a, need=accepted)
    by_key = {(c.society, c.label): c for c in found}
    # candidates are named by display name (here "Account #id": no display name), not username
    assert ("committee", user_label(staff_a)) in by_key
    assert ("social_worker", user_label(worker_a)) in by_key
    assert ("social_worker", user_label(station)) in by_key
    assert ("fund", "慈善纾困基金") in by_key
    for c in found:
        assert c.parts and c.score == round(sum(p.points for p in c.parts), 1)
        assert all(p.zh and p.en for p in c.parts)
    # placed in the community beats placed at the street
    assert by_key[("social_worker", user_label(worker_a))].score > \
        by_key[("social_worker", user_label(station))].score
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert station.pk


def test_workload_lowers_the_score(submit: Any, staff_a: Any, make_user: Any,
                                   community_a: Any) -> None:
    busy = make_user("community_staff", community_a, "busy")
    for _ in range(3):
        need = services.need_accept(actor=staff_a, need=submit(community_a))
        services.need_dispatch(actor=staff_a, need=need, assignments=[committee(busy)])
    fresh = services.need_accept(actor=staff_a, need=submit(community_a))
    scores = {c.label: c for c in selectors.need_suggestions(actor=staff_a, need=fresh)}
    assert scores[user_label(staff_a)].score > scores[user_label(busy)].score
    assert any("3" in p.zh for p in scores[user_label(busy)].parts if p.code == "workload")


def test_a_broken_provider_does_not_hide_the_others(accepted: Need, staff_a: Any) -> None:
    class Broken(BaseProvider):
        society = Society.ORGANISATION

        def suggest(self, need: Need, *, limit: int) -> list[Candidate]:
            raise RuntimeError("boom")

    saved = dict(linkage.PROVIDERS)
    linkage.register(Broken())
    try:
        found = selectors.need_suggestions(actor=staff_a, need=accepted)
        assert any(c.society == "committee" for c in found)
    finally:
        linkage.PROVIDERS.clear()
        linkage.PROVIDERS.update(saved)


def test_dispatch_outside_scope_is_not_found(accepted: Need, staff_b: Any) -> None:
    with pytest.raises(NotFound):
        services.need_dispatch(actor=staff_b, need=accepted, assignments=[committee(staff_b)])
    with pytest.raises(NotFound):
        selectors.need_suggestions(actor=staff_b, need=accepted)


def test_registry_refuses_an_unknown_society() -> None:
    class Odd(BaseProvider):
        society = "astrology"

    with pytest.raises(ValueError):
        linkage.register(Odd())
