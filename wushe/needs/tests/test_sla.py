"""Working-day deadlines across National Day 2026 (with its 调休 Saturday), per-category
rules and overrides, extensions before the deadline, reminders and escalation by ``wushe tick``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone

from wushe.core.calendar import add_workdays, is_workday
from wushe.core.errors import Conflict, ValidationFailed
from wushe.needs import services, sla, sla_job
from wushe.needs.models import Need, NeedEvent
from wushe.needs.rules import sla_key
from wushe.regions.services import rule_set

# 2026: 10-01..10-07 are holidays; Sunday 09-20 and Saturday 10-10 are make-up workdays (调休).
SEPT_30 = dt.date(2026, 9, 30)


def test_consultation_help_complaint_and_urgent_defaults(community_a: Any) -> None:
    assert sla.due_date(SEPT_30, "policy", "normal", community_a) == dt.date(2026, 10, 9)
    # help: 10 working days, counting Saturday 10-10 (调休) and skipping the holiday week
    assert sla.due_date(SEPT_30, "legal_aid", "normal", community_a) == dt.date(2026, 10, 20)
    # complaint: 15 working days
    assert sla.due_date(SEPT_30, "dispute", "normal", community_a) == dt.date(2026, 10, 27)
    # urgent: the same day, or the next working day when received on a holiday
    assert sla.due_date(SEPT_30, "legal_aid", "urgent", community_a) == SEPT_30
    assert sla.due_date(dt.date(2026, 10, 3), "legal_aid", "urgent", community_a) == \
        dt.date(2026, 10, 8)


def test_the_make_up_saturday_counts(community_a: Any) -> None:
    # received Friday 10-09: one working day later is Saturday 10-10 (调休), not Monday
    assert sla.due_date(dt.date(2026, 10, 9), "policy", "normal", community_a) == \
        dt.date(2026, 10, 12)  # 2 days: Sat 10-10, Mon 10-12
    assert sla.due_date(dt.datetime(2026, 10, 9, 20, 0, tzinfo=timezone.get_current_timezone()),
                        "policy", "urgent", community_a) == dt.date(2026, 10, 9)


def test_category_deadline_is_a_local_rule(root: Any, community_a: Any, street: Any) -> None:
    rule_set(actor=root, region=street, key=sla_key("temporary_relief"), raw="3")
    assert sla.due_date(SEPT_30, "temporary_relief", "normal", community_a) == \
        dt.date(2026, 10, 10)  # 10-08, 10-09, 10-10 (the 调休 Saturday)
    assert sla.due_date(SEPT_30, "legal_aid", "normal", community_a) == dt.date(2026, 10, 20)


def test_colour(community_a: Any) -> None:
    monday = dt.date(2026, 11, 23)
    assert sla.colour("accepted", monday - dt.timedelta(days=1), monday) == "overdue"
    assert sla.colour("accepted", monday, monday) == "due"
    assert sla.colour("accepted", monday + dt.timedelta(days=1), monday) == "due"
    assert sla.colour("accepted", monday + dt.timedelta(days=7), monday) == "ok"
    assert sla.colour("closed", monday - dt.timedelta(days=9), monday) == ""


def _age(need: Need, received: dt.datetime) -> Need:
    """Move a need back in time (as if received then), the way a migration of old data would."""
    due = sla.due_date(received, need.category, need.urgency, need.community)
    Need.objects.unscoped().filter(pk=need.pk).update(received_at=received, due_on=due)
    need.refresh_from_db()
    return need


def test_extension_only_before_the_deadline_and_within_limits(accepted: Need,
                                                              staff_a: Any) -> None:
    due = accepted.due_on
    with pytest.raises(ValidationFailed):
        services.need_extend(actor=staff_a, need=accepted, days=99, reason="需协调")
    need = services.need_extend(actor=staff_a, need=accepted, days=2, reason="需协调外部资源",
                                today=due)
    assert need.due_on > due and need.extensions == 1
    with pytest.raises(Conflict) as exc:  # the default allows one extension
        services.need_extend(actor=staff_a, need=need, days=1, reason="再延", today=due)
    assert exc.value.code == "extension_limit"
    ev = NeedEvent.objects.unscoped().get(need=need, action="extend")
    assert ev.data["from"] == due.isoformat() and ev.data["days"] == 2


def test_extension_after_the_deadline_is_refused(accepted: Need, staff_a: Any) -> None:
    with pytest.raises(Conflict) as exc:
        services.need_extend(actor=staff_a, need=accepted, days=2, reason="来不及了",
                             today=accepted.due_on + dt.timedelta(days=1))
    assert exc.value.code == "extension_too_late"
    accepted.refresh_from_db()
    assert accepted.extensions == 0


def _tick() -> dict[str, Any]:
    from io import StringIO

    out = StringIO()
    call_command("tick", "--only", "needs.sla", "--all", stdout=out)
    return json.loads(out.getvalue())["needs.sla"]


def test_tick_escalates_overdue_needs_to_street_then_district(submit: Any, staff_a: Any,
                                                              community_a: Any) -> None:
    today = timezone.localdate()
    if not is_workday(today):
        pytest.skip("the SLA job waits for a working day")
    tz = timezone.get_current_timezone()
    # overdue by one working day: the street supervises
    one = services.need_accept(actor=staff_a, need=submit(community_a, category="policy"))
    start = add_workdays(today - dt.timedelta(days=30), 0)
    one = _age(one, dt.datetime.combine(start, dt.time(9), tzinfo=tz))
    Need.objects.unscoped().filter(pk=one.pk).update(
        due_on=_workday_before(today, 1))
    # long overdue: the district
    two = services.need_accept(actor=staff_a, need=submit(community_a, category="dispute"))
    two = _age(two, dt.datetime(2026, 3, 2, 9, tzinfo=tz))
    # on time: nothing happens
    fresh = services.need_accept(actor=staff_a, need=submit(community_a, category="legal_aid"))
    result = _tick()
    assert result["escalated"] == 2
    levels = dict(Need.objects.unscoped().values_list("pk", "escalation_level"))
    assert levels[one.pk] == sla.LEVEL_STREET
    assert levels[two.pk] == sla.LEVEL_DISTRICT
    assert levels[fresh.pk] == 0
    ev = NeedEvent.objects.unscoped().get(need=two, action="escalate")
    assert ev.actor_id is None and ev.data["auto"] is True and ev.data["level"] == 2
    # idempotent: a second run changes nothing
    again = _tick()
    assert again["escalated"] == 0 and again["reminded"] == 0
    assert NeedEvent.objects.unscoped().filter(action="escalate").count() == 2


def test_tick_reminds_once_per_due_date(accepted: Need) -> None:
    today = timezone.localdate()
    if not is_workday(today):
        pytest.skip("the SLA job waits for a working day")
    Need.objects.unscoped().filter(pk=accepted.pk).update(due_on=add_workdays(today, 1))
    assert _tick()["reminded"] == 1
    assert _tick()["reminded"] == 0
    assert NeedEvent.objects.unscoped().filter(need=accepted, action="remind").count() == 1


def test_sla_job_waits_on_rest_days(accepted: Need) -> None:
    holiday = dt.date(2026, 10, 2)
    assert sla_job.run_sla(holiday)["skipped"] == "rest day"


def test_escalation_by_hand_goes_up_one_level(accepted: Need, staff_a: Any) -> None:
    need = services.need_escalate(actor=staff_a, need=accepted, reason="需街道协调")
    assert need.escalation_level == 1
    need = services.need_escalate(actor=staff_a, need=need, reason="需区级协调")
    assert need.escalation_level == 2
    with pytest.raises(Conflict):
        services.need_escalate(actor=staff_a, need=need, reason="再提级")


def _workday_before(day: dt.date, n: int) -> dt.date:
    while n:
        day -= dt.timedelta(days=1)
        n -= is_workday(day)
    return day
