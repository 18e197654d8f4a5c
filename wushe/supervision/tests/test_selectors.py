"""The scoped reads: overdue visits and rectifications, the month calendar, a project's
supervision."""

from __future__ import annotations

import datetime as dt

from wushe.supervision import selectors
from wushe.supervision.models import Rectification
from wushe.supervision.selectors import VisitFilters
from wushe.supervision.tests.conftest import visit

TODAY = dt.date.today()


def _day(offset: int) -> dt.date:
    return TODAY + dt.timedelta(days=offset)


def test_overdue_visits_are_planned_and_past_their_date_oldest_first(sw):
    a, b = sw.projects["a"], sw.projects["b"]
    late_a = visit(a, _day(-3))
    older_b = visit(b, _day(-40), kind="quarterly_inspection")
    visit(a, _day(-10), status="done")
    visit(a, _day(-12), status="missed")
    visit(a, TODAY)  # due today: not overdue yet
    visit(a, _day(5))
    street = sw.users["street"]
    assert list(selectors.overdue_visits(actor=street)) == [older_b, late_a]
    assert list(selectors.overdue_visits(actor=sw.users["staff_a"])) == [late_a]
    assert list(selectors.overdue_visits(actor=sw.users["street_b"])) == []
    only_quarterly = VisitFilters(kind="quarterly_inspection")
    assert list(selectors.overdue_visits(actor=street, filters=only_quarterly)) == [older_b]
    in_b = VisitFilters(region_code=sw.community_b.code)
    assert list(selectors.overdue_visits(actor=street, filters=in_b)) == [older_b]


def test_overdue_rectifications_are_open_and_past_due(sw):
    done = visit(sw.projects["a"], _day(-30), status="done")
    done_b = visit(sw.projects["b"], _day(-30), status="done")

    def item(v, due, status="open"):
        return Rectification.objects.create(
            supervision=v, region_path=v.region_path, item="补齐台账", due_on=due, status=status,
            closed_on=TODAY if status == "closed" else None)

    late = item(done, _day(-2))
    item(done, _day(3))
    item(done, _day(-9), status="closed")
    late_b = item(done_b, _day(-5))
    assert list(selectors.overdue_rectifications(actor=sw.users["street"])) == [late_b, late]
    assert list(selectors.overdue_rectifications(actor=sw.users["staff_a"])) == [late]
    assert list(selectors.overdue_rectifications(actor=sw.users["staff_b"])) == [late_b]
    assert list(selectors.overdue_rectifications(actor=sw.users["street_b"])) == []
    assert len(selectors.rectification_list(actor=sw.users["street"], state="open")) == 3
    assert len(selectors.rectification_list(actor=sw.users["street"], state="closed")) == 1


def test_the_calendar_places_each_supervision_on_its_day_with_its_state(sw):
    year, month = 2026, 3
    a, street_project = sw.projects["a"], sw.projects["street"]
    planned = visit(a, dt.date(2026, 3, 16))
    done = visit(a, dt.date(2026, 3, 2), kind="quarterly_inspection", status="done")
    centre = visit(street_project, dt.date(2026, 3, 16), kind="halfyear_visit")
    visit(a, dt.date(2026, 4, 15))  # next month
    grid = selectors.calendar_month(actor=sw.users["street"], year=year, month=month,
                                    today=dt.date(2026, 3, 10))
    days = {d.date: d for week in grid.weeks for d in week}
    assert grid.weeks[0][0].date.weekday() == 0  # Monday first
    assert days[dt.date(2026, 3, 16)].items == [centre, planned]  # by kind within a day
    assert days[dt.date(2026, 3, 2)].items == [done]
    assert grid.counts == {"planned": 2, "done": 1, "overdue": 0, "missed": 0}
    # A full day shows its first visits and counts the rest ("+N more").
    tight = selectors.calendar_month(actor=sw.users["street"], year=year, month=month,
                                     today=dt.date(2026, 3, 10), per_day=1)
    full = {d.date: d for week in tight.weeks for d in week}[dt.date(2026, 3, 16)]
    assert (full.items, full.more) == ([centre], 1) and tight.counts == grid.counts
    later = selectors.calendar_month(actor=sw.users["street"], year=year, month=month,
                                     today=dt.date(2026, 3, 20))
    assert later.counts["overdue"] == 2 and later.counts["planned"] == 0
    tier = selectors.calendar_month(actor=sw.users["street"], year=year, month=month,
                                    filters=VisitFilters(tier="centre_to_station"))
    assert [s for w in tier.weeks for d in w for s in d.items] == [centre]
    kind = selectors.calendar_month(actor=sw.users["street"], year=year, month=month,
                                    filters=VisitFilters(kind="quarterly_inspection"))
    assert [s for w in kind.weeks for d in w for s in d.items] == [done]
    # Scope: the neighbouring community sees nothing of community A's project.
    other = selectors.calendar_month(actor=sw.users["staff_b"], year=year, month=month)
    assert not any(d.items for w in other.weeks for d in w)
    assert (grid.previous, grid.next) == (dt.date(2026, 2, 1), dt.date(2026, 4, 1))


def test_a_project_supervision_comes_with_its_rectification_items(sw, django_assert_max_num_queries):
    a = sw.projects["a"]
    done = visit(a, _day(-30), status="done")
    visit(a, _day(10))
    Rectification.objects.create(supervision=done, region_path=done.region_path, item="整改",
                                 due_on=_day(-1))
    with django_assert_max_num_queries(3):
        rows = selectors.project_supervisions(actor=sw.users["staff_a"], project=a)
        assert [len(r.rectifications.all()) for r in rows] == [1, 0]
    assert selectors.project_supervisions(actor=sw.users["staff_b"], project=a) == []
