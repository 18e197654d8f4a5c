"""The work item: a hired worker's adjustment proposed by the community waits for the street
staff of the worker's street only (not another street, not the community, not the proposer);
an elected member's adjustment never does."""

from __future__ import annotations

import pytest

from wushe.orgs.tests.conftest import OrgWorld
from wushe.people.models import Person
from wushe.workforce import services
from wushe.workforce.models import Adjustment, CommunityWorker, Engagement
from wushe.workforce.tests.conftest import community_worker_values
from wushe.workforce.work import adjustments_to_approve

pytestmark = pytest.mark.django_db


def _adjustment(ow: OrgWorld, person: Person) -> Adjustment:
    worker = services.community_worker_create(actor=ow.users["admin"], person=person,
                                              community=ow.community_a,
                                              **community_worker_values())
    appraisal = services.appraisal_record(actor=ow.users["street"], worker=worker, year=2024,
                                          result="incompetent")
    return Adjustment.objects.unscoped().get(appraisal=appraisal)


def test_proposed_adjustments_reach_the_street_in_scope(ow: OrgWorld, persons: dict) -> None:
    adjustment = _adjustment(ow, persons["a1"])
    assert list(adjustments_to_approve(ow.users["street"])) == []  # open, not yet proposed
    services.adjustment_propose(actor=ow.users["staff_a"], adjustment=adjustment,
                                kind="demotion", steps=1, reason="连续考核不称职")
    assert list(adjustments_to_approve(ow.users["street"])) == [adjustment]
    assert list(adjustments_to_approve(ow.users["admin"])) == [adjustment]
    assert list(adjustments_to_approve(ow.users["street_b"])) == []
    assert list(adjustments_to_approve(ow.users["staff_a"])) == []
    services.adjustment_approve(actor=ow.users["street"], adjustment=adjustment)
    assert list(adjustments_to_approve(ow.users["street"])) == []


def test_the_proposer_does_not_see_its_own_proposal(ow: OrgWorld, persons: dict) -> None:
    adjustment = _adjustment(ow, persons["a1"])
    services.adjustment_propose(actor=ow.users["street"], adjustment=adjustment,
                                kind="demotion", steps=1, reason="不称职")
    assert list(adjustments_to_approve(ow.users["street"])) == []
    assert list(adjustments_to_approve(ow.users["admin"])) == [adjustment]


def test_elected_members_adjustments_are_not_the_streets_work(ow: OrgWorld,
                                                              persons: dict) -> None:
    adjustment = _adjustment(ow, persons["a1"])
    CommunityWorker.objects.unscoped().filter(pk=adjustment.worker_id).update(
        engagement=Engagement.ELECTED)
    Adjustment.objects.unscoped().filter(pk=adjustment.pk).update(
        engagement=Engagement.ELECTED, state="proposed", proposed_by=ow.users["staff_a"])
    assert list(adjustments_to_approve(ow.users["street"])) == []
