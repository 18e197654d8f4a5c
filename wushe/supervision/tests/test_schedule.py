"""Schedule generation: a full year by cadence, working days (holidays, 调休), idempotency,
the tier, local-rule cadences, the contract term, refusals, and the periodic job."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from wushe.audit.models import AuditEvent
from wushe.core.calendar import is_workday
from wushe.core.errors import Conflict, NotFound, PermissionDenied
from wushe.core.scoping import scopes_disabled
from wushe.regions.services import rule_set
from wushe.supervision import schedule
from wushe.supervision.models import Supervision
from wushe.supervision.services import schedule_generate, supervision_reschedule
from wushe.supervision.tests.conftest import YEAR, make_project

DEFAULT = {"monthly_scheduling": 1, "quarterly_inspection": 3, "halfyear_visit": 6}


def _visits(project):
    with scopes_disabled():
        return list(Supervision.objects.filter(project=project).order_by("scheduled_on"))


def test_a_year_gives_12_monthly_4_quarterly_2_halfyear_on_working_days(sw):
    made = schedule_generate(actor=sw.users["street"], project=sw.projects["a"])
    assert Counter(v.kind for v in made) == {"monthly_scheduling": 12, "quarterly_inspection": 4,
                                             "halfyear_visit": 2}
    visits = _visits(sw.projects["a"])
    assert len(visits) == 18
    for v in visits:
        assert is_workday(v.scheduled_on), v.scheduled_on
        assert dt.date(YEAR, 1, 1) <= v.scheduled_on <= dt.date(YEAR, 12, 31)
        assert v.scheduled_on >= v.nominal_on and v.status == "planned"
    # One monthly scheduling per calendar month of the budget year.
    monthly = [v for v in visits if v.kind == "monthly_scheduling"]
    assert [v.scheduled_on.month for v in monthly] == list(range(1, 13))
    event = AuditEvent.objects.unscoped().get(action="supervision.schedule.generated")
    assert event.data["created"] == 18 and event.region_path == sw.community_a.path


def test_saturday_make_up_workday_is_kept_and_a_holiday_moves_on():
    year = schedule.slots(dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31), DEFAULT)
    february = next(s for s in year if s.kind == "monthly_scheduling"
                    and s.nominal_on.month == 2)
    # 14 Feb 2026 is a Saturday, but a 调休 working day before the Spring Festival.
    assert february.nominal_on == february.scheduled_on == dt.date(2026, 2, 14)
    assert february.scheduled_on.weekday() == 5
    # A term from 18 Sep: the first month's middle (2 Oct) is in the National Day holiday.
    autumn = schedule.slots(dt.date(2026, 9, 18), dt.date(2027, 9, 17), DEFAULT)
    first = next(s for s in autumn if s.kind == "monthly_scheduling")
    assert first.nominal_on == dt.date(2026, 10, 2)
    assert first.scheduled_on == dt.date(2026, 10, 8)
    # A Sunday mid-period moves to Monday.
    may = next(s for s in year if s.kind == "monthly_scheduling" and s.nominal_on.month == 5)
    assert (may.nominal_on, may.scheduled_on) == (dt.date(2026, 5, 16), dt.date(2026, 5, 18))


def test_a_last_period_ending_in_rest_days_stays_inside_the_term():
    # 10 months from 1 Jan: the last quarterly period is October alone (1 Oct → 31 Oct).
    out = schedule.slots(dt.date(YEAR, 1, 1), dt.date(YEAR, 10, 31), DEFAULT)
    assert Counter(s.kind for s in out) == {"monthly_scheduling": 10, "quarterly_inspection": 4,
                                            "halfyear_visit": 2}
    assert all(s.scheduled_on <= dt.date(YEAR, 10, 31) for s in out)
    # A three-day term over a weekend: the visit falls on its one working day.
    short = schedule.slots(dt.date(2026, 11, 20), dt.date(2026, 11, 22), {**DEFAULT})
    assert {s.scheduled_on for s in short} == {dt.date(2026, 11, 20)}


def test_generation_is_idempotent_even_after_a_reschedule(sw):
    actor = sw.users["street"]
    first = schedule_generate(actor=actor, project=sw.projects["a"])
    assert schedule_generate(actor=actor, project=sw.projects["a"]) == []
    future = next(v for v in first if v.scheduled_on > dt.date.today())
    target = future.scheduled_on + dt.timedelta(days=7)
    while not is_workday(target):
        target += dt.timedelta(days=1)
    supervision_reschedule(actor=actor, supervision=future, scheduled_on=target,
                           reason="与街道会议冲突")
    assert schedule_generate(actor=actor, project=sw.projects["a"]) == []
    assert len(_visits(sw.projects["a"])) == 18
    assert AuditEvent.objects.unscoped().filter(action="supervision.schedule.generated").count() == 1


def test_tier_follows_the_project_level_and_names_the_supervising_site(sw):
    admin = sw.users["admin"]
    street = schedule_generate(actor=admin, project=sw.projects["street"])
    community = schedule_generate(actor=admin, project=sw.projects["a"])
    other = schedule_generate(actor=admin, project=sw.projects["c"])
    assert {(v.tier, v.supervising_site_id) for v in street} == {
        ("centre_to_station", sw.centre.pk)}
    assert {(v.tier, v.supervising_site_id) for v in community} == {
        ("station_to_room", sw.station.pk)}
    # 黄桷坪街道 has no station on record: the tier stands, no site is named.
    assert {(v.tier, v.supervising_site_id) for v in other} == {("station_to_room", None)}
    district = make_project("XM2026-00099", sw.district)
    assert {v.tier for v in schedule_generate(actor=admin, project=district)} == {
        "centre_to_station"}


def test_cadences_are_local_rules(sw):
    rule_set(actor=sw.root, region=sw.community_a, key="supervision.monthly_months", raw="2")
    made = schedule_generate(actor=sw.users["street"], project=sw.projects["a"])
    assert Counter(v.kind for v in made)["monthly_scheduling"] == 6
    # The street's other community keeps the default.
    made_b = schedule_generate(actor=sw.users["street"], project=sw.projects["b"])
    assert Counter(v.kind for v in made_b)["monthly_scheduling"] == 12


def test_the_contract_term_replaces_the_budget_year(sw):
    from wushe.orgs.tests.factories import registered
    from wushe.projects.models import Contract

    org = registered(sw.root, sw.street, "九龙社会工作服务中心")
    project = sw.projects["a"]
    Contract.objects.create(project=project, region_path=project.region_path, provider=org,
                            amount=Decimal(180000), start=dt.date(2026, 3, 1),
                            end=dt.date(2027, 2, 28), signed_on=dt.date(2026, 2, 24))
    made = schedule_generate(actor=sw.users["street"], project=project)
    assert Counter(v.kind for v in made) == {"monthly_scheduling": 12, "quarterly_inspection": 4,
                                             "halfyear_visit": 2}
    days = sorted(v.scheduled_on for v in made)
    assert days[0] >= dt.date(2026, 3, 1) and days[-1] <= dt.date(2027, 2, 28)
    assert days[-1].year == 2027


def test_only_active_projects_are_scheduled_and_only_in_scope(sw):
    with pytest.raises(Conflict):
        schedule_generate(actor=sw.users["admin"], project=sw.projects["designed"])
    with pytest.raises(NotFound):  # another street's officer: the project "does not exist"
        schedule_generate(actor=sw.users["street_b"], project=sw.projects["a"])
    with pytest.raises(PermissionDenied):  # community staff see projects, do not supervise
        schedule_generate(actor=sw.users["staff_a"], project=sw.projects["a"])
    assert not _visits(sw.projects["a"])


def _tick() -> dict:
    out = StringIO()
    call_command("tick", only=["supervision.schedules"], all=True, stdout=out)
    return json.loads(out.getvalue())["supervision.schedules"]


def test_the_periodic_job_schedules_active_projects_without_visits(sw):
    schedule_generate(actor=sw.users["admin"], project=sw.projects["street"])
    first = _tick()
    # a, b and c were active without a schedule; street already had one; designed is not active.
    assert (first["projects_scheduled"], first["visits_created"]) == (3, 54)
    second = _tick()
    assert (second["projects_scheduled"], second["visits_created"]) == (0, 0)
    with scopes_disabled():
        assert not Supervision.objects.filter(project=sw.projects["designed"]).exists()
        overdue = Supervision.objects.filter(status="planned",
                                             scheduled_on__lt=dt.date.today()).count()
    assert second["visits_overdue"] == overdue > 0
    assert AuditEvent.objects.unscoped().filter(action="supervision.schedule.generated",
                                     actor=None).count() == 3
