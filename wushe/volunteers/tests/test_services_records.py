"""Service hours: the rules of a record, confirmation, immutability, rollup, corrections."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from wushe.core.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from wushe.volunteers import services
from wushe.volunteers.models import ImmutableRecord, RecordStatus, ServiceRecord, Team
from wushe.volunteers.tests.factories import VWorld, ago


def _totals(vw: VWorld) -> dict[str, Decimal]:
    teams = {t.name: t.hours_confirmed for t in Team.objects.unscoped().all()}
    return {"corps": teams[vw.corps.name], "det_a": teams[vw.det_a.name],
            "det_b": teams[vw.det_b.name], "squad_a": teams[vw.squad_a.name],
            "squad_a2": teams[vw.squad_a2.name]}


def test_hours_are_decimal_positive_and_at_most_24(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    start = ago(30)
    for hours, code in (("0", "hours_positive"), ("-1", "hours_positive"),
                        ("24.5", "hours_too_many"), ("1.234", "hours_precision"),
                        ("abc", "hours_format")):
        with pytest.raises(ValidationFailed) as exc:
            services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a,
                                   started_at=start, ended_at=start + dt.timedelta(hours=25),
                                   hours=hours, content="服务")
        assert exc.value.code in (code, "interval_too_long")
    record = services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a,
                                    started_at=start, ended_at=start + dt.timedelta(hours=3),
                                    hours="2.5", content="助老")
    assert record.hours == Decimal("2.50") and record.status == RecordStatus.PENDING


def test_hours_cannot_exceed_the_interval_or_be_in_the_future(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    start = ago(5)
    with pytest.raises(ValidationFailed) as exc:
        services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a, started_at=start,
                               ended_at=start + dt.timedelta(hours=2), hours="3", content="x")
    assert exc.value.code == "hours_exceed_interval"
    future = ago(-3)
    with pytest.raises(ValidationFailed) as exc:
        services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a, started_at=future,
                               ended_at=future + dt.timedelta(hours=1), hours="1", content="x")
    assert exc.value.code == "in_future"


def test_no_overlap_for_the_same_volunteer(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    start = ago(10)
    services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a, started_at=start,
                           ended_at=start + dt.timedelta(hours=3), hours="3", content="x")
    with pytest.raises(ValidationFailed) as exc:
        services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a,
                               started_at=start + dt.timedelta(hours=2),
                               ended_at=start + dt.timedelta(hours=4), hours="1", content="y")
    assert exc.value.code == "overlap"
    # Back to back is fine, and another volunteer at the same time is fine.
    services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a,
                           started_at=start + dt.timedelta(hours=3),
                           ended_at=start + dt.timedelta(hours=4), hours="1", content="y")
    services.record_create(actor=vw.root, volunteer=vw.volunteers["a2"], team=vw.squad_a,
                           started_at=start, ended_at=start + dt.timedelta(hours=3), hours="3",
                           content="x")


def test_at_most_24_hours_in_a_day(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    day = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0) \
        - dt.timedelta(days=3)
    services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a, started_at=day,
                           ended_at=day + dt.timedelta(hours=20), hours="20", content="x")
    # 20 h already that day; another 4.5 h starting the same day would make 24.5.
    with pytest.raises(ValidationFailed) as exc:
        services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a,
                               started_at=day + dt.timedelta(hours=20),
                               ended_at=day + dt.timedelta(hours=25), hours="4.5", content="y")
    assert exc.value.code == "day_over_24"
    services.record_create(actor=vw.root, volunteer=a1, team=vw.squad_a,
                           started_at=day + dt.timedelta(hours=20),
                           ended_at=day + dt.timedelta(hours=25), hours="4", content="y")


def test_only_the_organising_team_or_its_participants(vw: VWorld) -> None:
    with pytest.raises(ValidationFailed) as exc:  # b1 is not in squad_a and not signed up
        vw.record(vw.volunteers["b1"], vw.squad_a, "2", start_hours_ago=40)
    assert exc.value.code == "not_participant"
    with pytest.raises(NotFound):  # another team's leader cannot record for squad_a
        vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=40,
                  actor=vw.users["leader_b"])


def test_confirm_rolls_up_to_volunteer_and_every_team_above(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    r1 = vw.record(a1, vw.squad_a, "2.5", start_hours_ago=50)
    r2 = vw.record(vw.volunteers["a2b"], vw.squad_a2, "4", start_hours_ago=50)
    assert _totals(vw)["corps"] == 0  # pending counts nowhere
    services.records_confirm(actor=vw.users["leader_det_a"], records=[r1, r2])
    a1.refresh_from_db()
    assert (a1.hours_confirmed, a1.records_confirmed) == (Decimal("2.5"), 1)
    assert _totals(vw) == {"corps": Decimal("6.5"), "det_a": Decimal("6.5"), "det_b": 0,
                           "squad_a": Decimal("2.5"), "squad_a2": Decimal("4")}
    corps = Team.objects.unscoped().get(pk=vw.corps.pk)
    assert corps.records_confirmed == 2


def test_a_leader_confirms_only_its_own_subtree(vw: VWorld) -> None:
    r = vw.record(vw.volunteers["a2b"], vw.squad_a2, "3", start_hours_ago=60)
    with pytest.raises(NotFound):  # squad_a's leader does not even see squad_a2's record
        services.records_confirm(actor=vw.users["leader_a"], records=[r])
    with pytest.raises(NotFound):
        services.records_confirm(actor=vw.users["leader_b"], records=[r])
    # Community staff see their community's records but may not confirm them.
    r_a = vw.record(vw.volunteers["a1"], vw.squad_a, "1", start_hours_ago=60)
    with pytest.raises(PermissionDenied):
        services.records_confirm(actor=vw.users["staff_a"], records=[r_a])
    assert ServiceRecord.objects.unscoped().get(pk=r.pk).status == RecordStatus.PENDING
    services.records_confirm(actor=vw.users["leader_det_a"], records=[r])


def test_confirmed_records_are_immutable_in_the_orm_and_the_database(vw: VWorld) -> None:
    r = vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=70)
    services.records_confirm(actor=vw.root, records=[r])
    r = ServiceRecord.objects.unscoped().get(pk=r.pk)
    r.hours = Decimal("9")
    with pytest.raises(ImmutableRecord):
        r.save()
    with pytest.raises(ImmutableRecord):
        r.delete()
    with pytest.raises(ImmutableRecord):
        ServiceRecord.objects.unscoped().filter(pk=r.pk).update(hours=9)
    with pytest.raises(ImmutableRecord):
        ServiceRecord.objects.unscoped().filter(pk=r.pk).delete()
    table = ServiceRecord._meta.db_table
    for sql in (f"UPDATE {table} SET hours = 9 WHERE id = %s",  # noqa: S608
                f"UPDATE {table} SET status = 'pending' WHERE id = %s",  # noqa: S608
                f"DELETE FROM {table} WHERE id = %s"):  # noqa: S608
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, [r.pk])
    assert ServiceRecord.objects.unscoped().get(pk=r.pk).hours == Decimal("2")


def test_pending_records_can_be_rejected_with_a_reason(vw: VWorld) -> None:
    r = vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=80)
    with pytest.raises(ValidationFailed):
        services.record_reject(actor=vw.users["leader_a"], record=r, reason="")
    services.record_reject(actor=vw.users["leader_a"], record=r, reason="未到场")
    with pytest.raises(IllegalTransition):
        services.records_confirm(actor=vw.users["leader_a"], records=[r])
    # A rejected record frees its time slot.
    vw.record(vw.volunteers["a1"], vw.squad_a, "2", start_hours_ago=80)


def test_correction_is_a_new_record_and_moves_totals_by_the_difference(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    r = vw.record(a1, vw.squad_a, "3", start_hours_ago=90)
    services.records_confirm(actor=vw.users["leader_a"], records=[r])
    with pytest.raises(ValidationFailed):  # a correction says why
        services.record_correct(actor=vw.users["leader_a"], record=r, hours="2", reason="")
    fix = services.record_correct(actor=vw.users["leader_a"], record=r, hours="2",
                                  reason="提前离场一小时")
    assert fix.corrects_id == r.pk and fix.status == RecordStatus.PENDING
    with pytest.raises(Conflict):  # one pending correction at a time
        services.record_correct(actor=vw.users["leader_a"], record=r, hours="1", reason="再改")
    services.records_confirm(actor=vw.users["leader_a"], records=[fix])
    original = ServiceRecord.objects.unscoped().get(pk=r.pk)
    assert original.superseded_by_id == fix.pk and original.hours == Decimal("3")
    a1.refresh_from_db()
    assert (a1.hours_confirmed, a1.records_confirmed) == (Decimal("2"), 1)
    assert _totals(vw)["corps"] == Decimal("2")
    with pytest.raises(IllegalTransition):  # the original is no longer current
        services.record_correct(actor=vw.users["leader_a"], record=original, hours="1",
                                reason="再改")


def test_volunteer_requests_a_correction_and_sees_the_decision(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    r = vw.record(a1, vw.squad_a, "2", start_hours_ago=100)
    services.records_confirm(actor=vw.users["leader_a"], records=[r])
    me = vw.users["vol_user"]
    req = services.correction_request(actor=me, record=r, proposed_hours="3",
                                      reason="实际服务了三小时")
    with pytest.raises(Conflict):
        services.correction_request(actor=me, record=r, proposed_hours="4", reason="再申请")
    with pytest.raises(NotFound):  # another volunteer cannot ask about a1's record
        services.correction_request(actor=vw.users["vol_user_b"], record=r, proposed_hours="1",
                                    reason="不是我的")
    with pytest.raises(NotFound):  # and another team's leader cannot decide
        services.correction_decide(actor=vw.users["leader_b"], request=req, accept=True,
                                   note="")
    services.correction_decide(actor=vw.users["leader_a"], request=req, accept=True,
                               note="核实签到表属实")
    req.refresh_from_db()
    assert req.status == "accepted" and req.correction is not None
    assert req.correction.status == RecordStatus.CONFIRMED
    a1.refresh_from_db()
    assert a1.hours_confirmed == Decimal("3")


def test_rejected_correction_keeps_the_record(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    r = vw.record(a1, vw.squad_a, "2", start_hours_ago=110)
    services.records_confirm(actor=vw.users["leader_a"], records=[r])
    req = services.correction_request(actor=vw.users["vol_user"], record=r, proposed_hours="5",
                                      reason="多算一些")
    with pytest.raises(ValidationFailed):  # rejecting needs a reason
        services.correction_decide(actor=vw.users["leader_a"], request=req, accept=False,
                                   note="")
    services.correction_decide(actor=vw.users["leader_a"], request=req, accept=False,
                               note="签到表显示两小时")
    req.refresh_from_db()
    assert req.status == "rejected" and req.decision_note == "签到表显示两小时"
    a1.refresh_from_db()
    assert a1.hours_confirmed == Decimal("2")
