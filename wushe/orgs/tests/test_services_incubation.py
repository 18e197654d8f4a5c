"""Incubation: the stage table, graduation conditions, follow-up cycles; capacity scores."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import Conflict, IllegalTransition, NotFound, ValidationFailed
from wushe.orgs import selectors, workflow
from wushe.orgs.models import IncubationStage
from wushe.orgs.services import (
    assessment_record,
    follow_up_record,
    incubation_advance,
    incubation_start,
    issue_record,
    issue_resolve,
    org_transition,
)
from wushe.orgs.tests.factories import incubating
from wushe.regions.services import rule_set

GOOD = dict.fromkeys(("governance", "team", "finance", "projects", "brand", "outreach",
                      "expertise"), "75")


def _incubation(ow, started_on=None):
    org = incubating(ow.users["admin"], ow.street, person_in_charge="张三", venue="基地",
                     activity_area="杨家坪")
    return incubation_start(actor=ow.users["street"], org=org, base=ow.incubator, mentor="周老师",
                            started_on=started_on)


@pytest.mark.parametrize("current,target",
                         list(itertools.product(IncubationStage.values, repeat=2)))
def test_stage_moves_follow_the_table(current, target):
    if target in workflow.STAGE_TRANSITIONS[current]:
        workflow.check_stage(current, target)
    else:
        with pytest.raises(IllegalTransition):
            workflow.check_stage(current, target)


def test_graduation_needs_a_filing_resolved_issues_and_capacity(ow):
    street = ow.users["street"]
    inc = _incubation(ow)
    with pytest.raises(IllegalTransition):
        incubation_advance(actor=street, incubation=inc, stage="graduated")
    incubation_advance(actor=street, incubation=inc, stage="cultivating")
    incubation_advance(actor=street, incubation=inc, stage="evaluating")
    issue = issue_record(actor=street, incubation=inc, area="finance", description="无财务制度")
    assessment_record(actor=street, org=inc.org, assessed_on=dt.date.today(), assessor="周老师",
                      scores={**GOOD, "finance": "20", "brand": "20", "team": "30"})
    with pytest.raises(ValidationFailed) as exc:
        incubation_advance(actor=street, incubation=inc, stage="graduated")
    assert "filed or registered" in exc.value.en and "1 issue" in exc.value.en
    assert "below" in exc.value.en
    org_transition(actor=street, org=inc.org, to="filed")
    issue_resolve(actor=street, issue=issue, resolution="建立财务制度")
    assessment_record(actor=street, org=inc.org, assessed_on=dt.date.today(), assessor="周老师",
                      scores=GOOD)
    incubation_advance(actor=street, incubation=inc, stage="graduated")
    inc.refresh_from_db()
    assert inc.stage == "graduated" and inc.graduated_on == dt.date.today()
    with pytest.raises(Conflict):
        issue_record(actor=street, incubation=inc, area="team", description="x")
    assert AuditEvent.objects.unscoped().filter(action="orgs.incubation.stage_changed").count() == 3


def test_graduation_score_is_a_local_rule(ow):
    street = ow.users["street"]
    inc = _incubation(ow)
    org_transition(actor=street, org=inc.org, to="filed")
    for stage in ("cultivating", "evaluating"):
        incubation_advance(actor=street, incubation=inc, stage=stage)
    assessment_record(actor=street, org=inc.org, assessed_on=dt.date.today(), assessor="周",
                      scores=GOOD)
    rule_set(actor=ow.users["admin"], region=ow.street, key="orgs.graduation_min_score", raw="80")
    with pytest.raises(ValidationFailed):
        incubation_advance(actor=street, incubation=inc, stage="graduated")


def test_withdrawal_needs_a_note_and_one_record_per_org(ow):
    street = ow.users["street"]
    inc = _incubation(ow)
    with pytest.raises(ValidationFailed):
        incubation_advance(actor=street, incubation=inc, stage="withdrawn")
    with pytest.raises(Conflict):
        incubation_start(actor=street, org=inc.org, base=ow.incubator)
    incubation_advance(actor=street, incubation=inc, stage="withdrawn", note="负责人离开")
    assert not inc.open


def test_follow_ups_and_overdue_cycle(ow):
    street = ow.users["street"]
    today = dt.date.today()
    late = _incubation(ow, started_on=today - dt.timedelta(days=120))
    follow_up_record(actor=street, incubation=late, kind="follow_up", notes="电话跟踪",
                     on=today - dt.timedelta(days=45))
    fresh = _incubation(ow, started_on=today - dt.timedelta(days=10))
    overdue = selectors.incubation_list(actor=street,
                                        filters=selectors.IncubationFilters(overdue=True))
    assert [i.pk for i in overdue] == [late.pk]
    late = selectors.incubation_get(actor=street, incubation_id=late.pk)
    due = selectors.follow_up_due(late)
    assert due["follow_up"] == today - dt.timedelta(days=15)
    assert due["field_visit"] == today - dt.timedelta(days=30)  # entry + 90 days, none yet
    with pytest.raises(ValidationFailed):
        follow_up_record(actor=street, incubation=fresh, kind="follow_up", notes="x",
                         on=today - dt.timedelta(days=30))
    with pytest.raises(ValidationFailed):
        follow_up_record(actor=street, incubation=fresh, kind="phone", notes="x")
    with pytest.raises(NotFound):
        follow_up_record(actor=ow.users["street_b"], incubation=fresh, kind="follow_up", notes="x")


def test_assessment_scores_are_checked_and_weakest_is_lowest(ow):
    admin = ow.users["admin"]
    org = ow.orgs["a"]
    for bad in ({**GOOD, "brand": "101"}, {**GOOD, "team": "-1"}, {**GOOD, "team": "abc"},
                {k: v for k, v in GOOD.items() if k != "expertise"}, {**GOOD, "team": "60.25"}):
        with pytest.raises(ValidationFailed):
            assessment_record(actor=admin, org=org, assessed_on="2025-01-01", assessor="甲",
                              scores=bad)
    a = assessment_record(actor=admin, org=org, assessed_on="2025-01-01", assessor="甲",
                          scores={**GOOD, "outreach": "40", "brand": "40"})
    assert a.weakest() == "brand" and str(a.average) == "65.0"
    with pytest.raises(ValidationFailed):
        assessment_record(actor=admin, org=org, assessed_on=dt.date.today() + dt.timedelta(1),
                          assessor="甲", scores=GOOD)
    with pytest.raises(NotFound):
        assessment_record(actor=ow.users["org_staff"], org=ow.orgs["b"], assessed_on="2025-01-01",
                          assessor="甲", scores=GOOD)


def test_weakest_areas_use_each_organisations_latest_assessment(ow):
    admin = ow.users["admin"]
    assessment_record(actor=admin, org=ow.orgs["a"], assessed_on="2024-01-01", assessor="甲",
                      scores={**GOOD, "finance": "10"})
    assessment_record(actor=admin, org=ow.orgs["a"], assessed_on="2025-01-01", assessor="甲",
                      scores={**GOOD, "team": "50"})
    assessment_record(actor=admin, org=ow.orgs["b"], assessed_on="2025-01-01", assessor="甲",
                      scores={**GOOD, "team": "40", "brand": "55"})
    assessment_record(actor=admin, org=ow.orgs["c"], assessed_on="2025-01-01", assessor="甲",
                      scores={**GOOD, "governance": "5"})
    figures, covered = selectors.capacity_weakest(actor=admin, region=ow.street)
    assert covered == 2
    assert (figures[0].key, str(figures[0].average), figures[0].weak) == ("team", "45.0", 2)
    assert figures[1].key == "brand"
    assert {f.key: f.average for f in figures}["finance"] == 75  # the old 10 no longer counts
    _, seen = selectors.capacity_weakest(actor=ow.users["org_staff"])
    assert seen == 1
