"""Grouping a need into a common problem (issue #19): by staff who handle it, audited, hostile
values refused, out of scope answers like missing; needs.common_problems counts them."""

from __future__ import annotations

from typing import Any

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.scoping import scopes_disabled
from wushe.needs.models import Need
from wushe.needs.services.common_problem import need_group_common_problem
from wushe.reports.kpis import Period, compute

pytestmark = pytest.mark.django_db


def test_staff_group_a_need_and_the_figure_counts_it(accepted: Need, staff_a: Any,
                                                     district: Any) -> None:
    need_group_common_problem(actor=staff_a, need=accepted, problem="elderly")
    with scopes_disabled():
        assert Need.objects.get(pk=accepted.pk).common_problem == "elderly"
        assert compute(district.path, Period.all(), ["needs.common_problems"]) == {
            "needs.common_problems": 1}
        event = AuditEvent.objects.filter(action="needs.need.grouped").get()
    assert event.data == {"from": "", "to": "elderly"}
    need_group_common_problem(actor=staff_a, need=accepted, problem="")  # taken out again
    with scopes_disabled():
        assert compute(district.path, Period.all(), ["needs.common_problems"]) == {
            "needs.common_problems": 0}


@pytest.mark.parametrize("bad", ["ELDERLY", "elderly;", "x" * 50, "0"])
def test_an_unknown_problem_is_refused_and_nothing_changes(accepted: Need, staff_a: Any,
                                                           bad: str) -> None:
    with pytest.raises(ValidationFailed) as caught:
        need_group_common_problem(actor=staff_a, need=accepted, problem=bad)
    assert caught.value.field == "common_problem"
    with scopes_disabled():
        assert Need.objects.get(pk=accepted.pk).common_problem == ""
        assert not AuditEvent.objects.filter(action="needs.need.grouped").exists()


def test_out_of_scope_staff_get_not_found(accepted: Need, make_user: Any,
                                          street_b: Any) -> None:
    outsider = make_user("street_staff", street_b, "outsider")
    with pytest.raises(NotFound):
        need_group_common_problem(actor=outsider, need=accepted, problem="elderly")
    with scopes_disabled():
        assert Need.objects.get(pk=accepted.pk).common_problem == ""
