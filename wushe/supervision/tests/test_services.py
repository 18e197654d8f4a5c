"""Recording visits, rescheduling, marking missed, rectification items and sessions: each
rule, each refusal (nothing changed), the audit row, and scope."""

from __future__ import annotations

import datetime as dt

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.calendar import next_workday
from wushe.core.errors import (
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from wushe.core.scoping import scopes_disabled
from wushe.supervision.models import Supervision
from wushe.supervision.services import (
    rectification_add,
    rectification_close,
    session_record,
    supervision_miss,
    supervision_record,
    supervision_reschedule,
)
from wushe.supervision.tests.conftest import checks, visit

TODAY = dt.date.today()
PAST = TODAY - dt.timedelta(days=20)


def _fresh(v: Supervision) -> Supervision:
    with scopes_disabled():
        return Supervision.objects.get(pk=v.pk)


def _events(action: str) -> int:
    return AuditEvent.objects.unscoped().filter(action=action).count()


def test_recording_a_visit_fills_the_four_checks_and_is_audited(sw):
    v = visit(sw.projects["a"], PAST)
    supervision_record(actor=sw.users["street"], supervision=v, done_on=PAST,
                       **checks(spending_result="concern", spending_note="部分票据缺失"))
    got = _fresh(v)
    assert (got.status, got.done_on, got.supervisor_id) == ("done", PAST,
                                                            sw.users["street"].pk)
    assert got.spending_result == "concern" and got.spent_amount == 50000
    assert got.staff_on_post == 3 and not got.is_overdue
    event = AuditEvent.objects.unscoped().get(action="supervision.visit.recorded")
    assert event.data["spending_result"] == "concern" and event.target_id == str(v.pk)
    # A social worker of the community supervises its room's projects too.
    other = visit(sw.projects["a"], PAST - dt.timedelta(days=30))
    supervision_record(actor=sw.users["worker"], supervision=other, done_on=PAST, **checks())
    assert _fresh(other).status == "done"


@pytest.mark.parametrize(("values", "field"), [
    ({"done_on": TODAY + dt.timedelta(days=1)}, "done_on"),
    ({"findings": "<script>alert(1)</script>"}, "findings"),
    ({"progress_note": "<img src=x onerror=alert(1)>"}, "progress_note"),
    ({"outcomes_result": "problem"}, "outcomes_note"),  # a problem needs a note
    ({"staffing_result": "maybe"}, "staffing_result"),
    ({"spent_amount": "-5"}, "spent_amount"),
    ({"spent_amount": "999999"}, "spending_result"),  # over the budget yet "in order"
    ({"staff_on_post": 9999}, "staff_on_post"),
])
def test_a_bad_record_is_refused_and_changes_nothing(sw, values, field):
    v = visit(sw.projects["a"], PAST)
    body = {"done_on": PAST, **checks(), **values}
    with pytest.raises(ValidationFailed) as err:
        supervision_record(actor=sw.users["street"], supervision=v, **body)
    assert err.value.field == field
    got = _fresh(v)
    assert (got.status, got.done_on, got.findings) == ("planned", None, "")
    assert _events("supervision.visit.recorded") == 0


def test_full_width_digits_are_read(sw):
    v = visit(sw.projects["a"], PAST)
    supervision_record(actor=sw.users["street"], supervision=v, done_on=PAST,
                       **checks(spent_amount="１２０００", staff_on_post="４"))
    assert (_fresh(v).spent_amount, _fresh(v).staff_on_post) == (12000, 4)


def test_a_visit_is_recorded_once_and_only_in_scope(sw):
    v = visit(sw.projects["a"], PAST)
    with pytest.raises(NotFound):  # another street: the visit "does not exist"
        supervision_record(actor=sw.users["street_b"], supervision=v, done_on=PAST, **checks())
    with pytest.raises(NotFound):  # the neighbouring community's staff
        supervision_record(actor=sw.users["staff_b"], supervision=v, done_on=PAST, **checks())
    with pytest.raises(PermissionDenied):  # its own community's staff see it, do not supervise
        supervision_record(actor=sw.users["staff_a"], supervision=v, done_on=PAST, **checks())
    supervision_record(actor=sw.users["street"], supervision=v, done_on=PAST, **checks())
    with pytest.raises(IllegalTransition):
        supervision_record(actor=sw.users["street"], supervision=_fresh(v), done_on=PAST,
                           **checks())


def test_reschedule_needs_a_working_day_from_today_and_a_reason(sw):
    v = visit(sw.projects["a"], PAST)
    actor = sw.users["street"]
    saturday = TODAY + dt.timedelta(days=(5 - TODAY.weekday()) % 7 or 7)
    while next_workday(saturday) == saturday:  # a 调休 Saturday: take the next week's
        saturday += dt.timedelta(days=7)
    for day, reason, field in [(saturday, "改期", "scheduled_on"),
                               (TODAY - dt.timedelta(days=1), "改期", "scheduled_on"),
                               (next_workday(TODAY + dt.timedelta(days=3)), "", "reason")]:
        with pytest.raises(ValidationFailed) as err:
            supervision_reschedule(actor=actor, supervision=v, scheduled_on=day, reason=reason)
        assert err.value.field == field
    assert _fresh(v).scheduled_on == PAST
    new_day = next_workday(TODAY + dt.timedelta(days=3))
    supervision_reschedule(actor=actor, supervision=v, scheduled_on=new_day, reason="街道会议冲突")
    assert _fresh(v).scheduled_on == new_day and not _fresh(v).is_overdue
    event = AuditEvent.objects.unscoped().get(action="supervision.visit.rescheduled")
    assert event.data["scheduled_on"] == {"old": str(PAST), "new": str(new_day)}
    assert event.data["reason"] == "街道会议冲突"


def test_only_an_overdue_visit_is_marked_missed(sw):
    actor = sw.users["street"]
    future = visit(sw.projects["a"], next_workday(TODAY + dt.timedelta(days=5)))
    with pytest.raises(IllegalTransition):
        supervision_miss(actor=actor, supervision=future, reason="未开展")
    late = visit(sw.projects["a"], PAST)
    supervision_miss(actor=actor, supervision=late, reason="承接机构停工")
    assert _fresh(late).status == "missed" and not _fresh(late).is_overdue
    # A missed visit can still be moved to a new date.
    supervision_reschedule(actor=actor, supervision=_fresh(late),
                           scheduled_on=next_workday(TODAY + dt.timedelta(days=1)),
                           reason="补开展")
    assert _fresh(late).status == "planned"


def test_rectification_items_follow_a_recorded_visit_and_close_with_a_note(sw):
    actor = sw.users["street"]
    v = visit(sw.projects["a"], PAST)
    with pytest.raises(IllegalTransition):  # not recorded yet
        rectification_add(actor=actor, supervision=v, item="补齐票据", due_on=TODAY)
    supervision_record(actor=actor, supervision=v, done_on=PAST, **checks())
    v = _fresh(v)
    with pytest.raises(ValidationFailed) as err:
        rectification_add(actor=actor, supervision=v, item="补齐票据",
                          due_on=PAST - dt.timedelta(days=1))
    assert err.value.field == "due_on"
    with pytest.raises(ValidationFailed):
        rectification_add(actor=actor, supervision=v, item="<script>x</script>", due_on=TODAY)
    with pytest.raises(NotFound):
        rectification_add(actor=sw.users["street_b"], supervision=v, item="补齐票据",
                          due_on=TODAY)
    item = rectification_add(actor=actor, supervision=v, item="补齐票据", due_on=PAST)
    assert item.is_overdue and item.region_path == sw.community_a.path
    with pytest.raises(ValidationFailed) as err:
        rectification_close(actor=actor, rectification=item,
                            closed_on=TODAY + dt.timedelta(days=1), note_text="已补齐")
    assert err.value.field == "closed_on"
    with pytest.raises(ValidationFailed) as err:
        rectification_close(actor=actor, rectification=item, closed_on=TODAY, note_text="")
    assert err.value.field == "closure_note"
    with pytest.raises(PermissionDenied):
        rectification_close(actor=sw.users["staff_a"], rectification=item, closed_on=TODAY,
                            note_text="已补齐")
    rectification_close(actor=actor, rectification=item, closed_on=TODAY, note_text="已补齐")
    assert (item.status, item.closed_on, item.is_overdue) == ("closed", TODAY, False)
    with pytest.raises(IllegalTransition):
        rectification_close(actor=actor, rectification=item, closed_on=TODAY, note_text="再次")
    closed = AuditEvent.objects.unscoped().get(action="supervision.rectification.closed")
    assert closed.data["late"] is True


def test_sessions_are_recorded_for_a_region_or_a_project(sw):
    admin = sw.users["admin"]
    central = session_record(actor=admin, kind="centralised", held_on=PAST, topic="中期评估要点",
                             participants=60, organisations="１２", region=sw.district)
    assert (central.status, central.done_on, central.tier, central.supervising_site_id) == (
        "done", PAST, "centre_to_station", sw.centre.pk)
    assert central.organisations == 12 and central.project_id is None
    consult = session_record(actor=sw.users["street"], kind="consultation", held_on=PAST,
                             topic="财务票据咨询", participants=2, project=sw.projects["a"])
    assert (consult.region_path, consult.tier) == (sw.community_a.path, "station_to_room")
    assert _events("supervision.session.recorded") == 2


@pytest.mark.parametrize(("values", "error"), [
    ({"kind": "monthly_scheduling"}, ValidationFailed),
    ({"participants": 0}, ValidationFailed),
    ({"held_on": TODAY + dt.timedelta(days=2)}, ValidationFailed),
    ({"topic": "<script>1</script>"}, ValidationFailed),
    ({"region": None}, ValidationFailed),
])
def test_a_bad_session_is_refused(sw, values, error):
    body = {"kind": "consultation", "held_on": PAST, "topic": "咨询", "participants": 3,
            "region": sw.street, **values}
    with pytest.raises(error):
        session_record(actor=sw.users["street"], **body)
    with scopes_disabled():
        assert not Supervision.objects.exists()


def test_a_session_outside_scope_is_refused(sw):
    with pytest.raises(NotFound):  # a street officer cannot hold a district session
        session_record(actor=sw.users["street"], kind="centralised", held_on=PAST, topic="集中督导",
                       participants=30, region=sw.district)
    with pytest.raises(NotFound):
        session_record(actor=sw.users["street_b"], kind="consultation", held_on=PAST,
                       topic="咨询", participants=3, project=sw.projects["a"])
