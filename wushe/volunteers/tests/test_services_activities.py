"""Activities: risky ones need insurance before sign-up; capacity; check-in/out records hours."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from wushe.core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from wushe.volunteers import services
from wushe.volunteers.models import Activity, ActivityStatus, RecordStatus, SignUpStatus
from wushe.volunteers.tests.factories import VWorld


def _activity(vw: VWorld, **kw: object) -> Activity:
    start = timezone.now() + dt.timedelta(days=2)
    values: dict[str, object] = {
        "title": "空巢老人探访", "kind": "visit", "place": "杨坪社区党群服务中心",
        "starts_at": start, "ends_at": start + dt.timedelta(hours=3), "capacity": 2,
        "target_groups": ["empty_nest", "elderly"]}
    values.update(kw)
    return services.activity_create(actor=vw.users["leader_a"], team=vw.squad_a,
                                    region=vw.community_a, **values)


def test_risky_activity_cannot_open_without_insurance(vw: VWorld) -> None:
    a = _activity(vw, risky=True)
    with pytest.raises(ValidationFailed) as exc:
        services.activity_set_status(actor=vw.users["leader_a"], activity=a, status="open")
    assert exc.value.code == "insurance_required"
    assert Activity.objects.unscoped().get(pk=a.pk).status == ActivityStatus.DRAFT
    services.activity_update(actor=vw.users["leader_a"], activity=a,
                             insurance_note="团体意外险 保单号 PICC-001")
    services.activity_set_status(actor=vw.users["leader_a"], activity=a, status="open")
    # Removing the note from an open risky activity is refused too.
    with pytest.raises(ValidationFailed):
        services.activity_update(actor=vw.users["leader_a"], activity=a, insurance_note="")


def test_database_refuses_open_risky_without_insurance(vw: VWorld) -> None:
    a = _activity(vw, risky=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Activity.objects.unscoped().filter(pk=a.pk).update(status="open")


def test_activity_rules(vw: VWorld) -> None:
    start = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(ValidationFailed):
        _activity(vw, ends_at=start - dt.timedelta(hours=1), starts_at=start)
    with pytest.raises(ValidationFailed):
        _activity(vw, capacity=0)
    with pytest.raises(ValidationFailed):  # far outside the squad's community
        services.activity_create(actor=vw.root, team=vw.squad_a, region=vw.community_c,
                                 title="x", kind="visit", place="x", starts_at=start,
                                 ends_at=start + dt.timedelta(hours=1), capacity=3)
    with pytest.raises(NotFound):
        services.activity_create(actor=vw.users["leader_b"], team=vw.squad_a,
                                 region=vw.community_a, title="x", kind="visit", place="x",
                                 starts_at=start, ends_at=start + dt.timedelta(hours=1),
                                 capacity=3)


def test_sign_up_capacity_and_self_sign_up(vw: VWorld) -> None:
    a = _activity(vw)
    with pytest.raises(IllegalTransition):  # a draft takes no sign-ups
        services.signup_create(actor=vw.users["leader_a"], activity=a,
                               volunteer=vw.volunteers["a2"])
    services.activity_set_status(actor=vw.users["leader_a"], activity=a, status="open")
    me = vw.users["vol_user"]
    services.signup_create(actor=me, activity=a, volunteer=vw.volunteers["a1"])
    with pytest.raises(Conflict):
        services.signup_create(actor=me, activity=a, volunteer=vw.volunteers["a1"])
    services.signup_create(actor=vw.users["leader_a"], activity=a, volunteer=vw.volunteers["a2"])
    a.refresh_from_db()
    assert a.signed_up == 2
    with pytest.raises(Conflict) as exc:  # full
        services.signup_create(actor=vw.root, activity=a, volunteer=vw.volunteers["a2b"])
    assert exc.value.code == "full"
    # A volunteer may not sign up for another team's activity, nor sign others up.
    with pytest.raises(NotFound):
        services.signup_create(actor=vw.users["vol_user_b"], activity=a,
                               volunteer=vw.volunteers["b1"])
    with pytest.raises(NotFound):
        services.signup_create(actor=me, activity=a, volunteer=vw.volunteers["a2b"])


def test_check_in_and_out_records_pending_hours(vw: VWorld) -> None:
    start = timezone.now() - dt.timedelta(hours=5)
    a = services.activity_create(actor=vw.users["leader_a"], team=vw.squad_a,
                                 region=vw.community_a, title="助老", kind="care", place="x",
                                 starts_at=start, ends_at=start + dt.timedelta(hours=6),
                                 capacity=5)
    services.activity_set_status(actor=vw.users["leader_a"], activity=a, status="open")
    s = services.signup_create(actor=vw.users["leader_a"], activity=a,
                               volunteer=vw.volunteers["a1"])
    with pytest.raises(IllegalTransition):
        services.signup_check_out(actor=vw.users["leader_a"], signup=s)
    services.signup_check_in(actor=vw.users["leader_a"], signup=s, at=start)
    record = services.signup_check_out(actor=vw.users["leader_a"], signup=s,
                                       at=start + dt.timedelta(hours=2, minutes=30))
    assert record.hours == Decimal("2.50") and record.status == RecordStatus.PENDING
    assert record.team_id == vw.squad_a.pk and record.activity_id == a.pk
    s.refresh_from_db()
    assert s.status == SignUpStatus.CHECKED_OUT
    with pytest.raises(NotFound):  # another team's leader cannot check people in here
        services.signup_check_in(actor=vw.users["leader_b"], signup=s)


def test_cancel_frees_a_place(vw: VWorld) -> None:
    a = _activity(vw, capacity=1)
    services.activity_set_status(actor=vw.users["leader_a"], activity=a, status="open")
    s = services.signup_create(actor=vw.users["vol_user"], activity=a,
                               volunteer=vw.volunteers["a1"])
    services.signup_cancel(actor=vw.users["vol_user"], signup=s)
    services.signup_create(actor=vw.users["leader_a"], activity=a, volunteer=vw.volunteers["a2"])
    with pytest.raises(IllegalTransition):
        services.activity_set_status(actor=vw.users["leader_a"], activity=a, status="draft")
