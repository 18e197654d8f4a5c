# ruff: noqa: F811  (fixtures imported from the needs tests)
"""Escalations are announced, urgent, to the level the need reached (needs.hooks.on_step): the
street's accounts at level 1, the district's at level 2; another street never hears of it."""

from __future__ import annotations

from typing import Any

import pytest

from wushe.needs import services
from wushe.needs.services.workflow import need_escalate_auto
from wushe.needs.tests.conftest import (  # noqa: F401  (fixtures)
    accepted,
    district_user,
    street_user,
    submit,
)
from wushe.notifications.models import Notification
from wushe.notifications.scan import work_scan


def escalations(user: Any) -> list[Notification]:
    return list(Notification.objects.filter(recipient=user, kind="needs.need.escalated")
                .order_by("id"))


@pytest.fixture
def street_b_user(make_user: Any, street_b: Any) -> Any:
    return make_user("street_staff", street_b, "street_b_user")


def test_escalation_is_told_to_the_level_it_reached(
        accepted: Any, staff_a: Any, street_user: Any, district_user: Any,
        street_b_user: Any, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        need = services.need_escalate(actor=staff_a, need=accepted, reason="需街道协调")
    [n] = escalations(street_user)
    assert n.urgent and n.key == f"escalated:{need.pk}:1" and need.tracking_code in n.title
    assert n.link.startswith("http") and n.link.endswith(f"/needs/{need.pk}/")
    assert escalations(district_user) == [] and escalations(street_b_user) == []
    assert escalations(staff_a) == []  # the community does not supervise its own escalation

    with django_capture_on_commit_callbacks(execute=True):
        services.need_escalate(actor=staff_a, need=need, reason="需区级协调")
    [d] = escalations(district_user)
    assert d.urgent and d.key == f"escalated:{need.pk}:2"
    assert len(escalations(street_user)) == 1  # the street was told at level 1 only


def test_scan_does_not_tell_an_escalation_twice(
        accepted: Any, staff_a: Any, street_user: Any, district_user: Any,
        django_capture_on_commit_callbacks: Any) -> None:
    work_scan()
    with django_capture_on_commit_callbacks(execute=True):
        services.need_escalate(actor=staff_a, need=accepted, reason="需街道协调")
    work_scan()
    assert len(escalations(street_user)) == 1 and escalations(district_user) == []


def test_rolled_back_escalation_is_not_told(accepted: Any, staff_a: Any,
                                            street_user: Any,
                                            django_capture_on_commit_callbacks: Any) -> None:
    from wushe.core.errors import WusheError

    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(WusheError):
            services.need_escalate(actor=staff_a, need=accepted, reason="")
    assert escalations(street_user) == []


def test_sla_job_escalation_is_told(submit: Any, staff_a: Any, street_user: Any,
                                    community_a: Any,
                                    django_capture_on_commit_callbacks: Any) -> None:
    from django.utils import timezone

    need = services.need_accept(actor=staff_a, need=submit(community_a))
    with django_capture_on_commit_callbacks(execute=True):
        assert need_escalate_auto(need_id=need.pk, level=1, today=timezone.localdate())
    [n] = escalations(street_user)
    assert n.urgent and n.key == f"escalated:{need.pk}:1"
