"""Cadre adjustments: opened by 不称职 only; kinds per engagement; the street approves, the
proposer cannot; elected members by the lawful procedure; post, grade and grants follow."""

from __future__ import annotations

import pytest

from wushe.accounts.models import RoleGrant
from wushe.accounts.services import grant_add
from wushe.audit.models import AuditEvent
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.orgs.tests.conftest import OrgWorld
from wushe.people.models import Person
from wushe.workforce import services
from wushe.workforce.models import (
    Adjustment,
    AdjustmentState,
    CommunityWorker,
    Engagement,
    WorkerStatus,
)
from wushe.workforce.selectors_adjustments import adjustment_get, adjustments_per_year
from wushe.workforce.tests.conftest import community_worker_values

pytestmark = pytest.mark.django_db


def _worker(ow: OrgWorld, person: Person, *, elected: bool = False,
            **values: object) -> CommunityWorker:
    worker = services.community_worker_create(
        actor=ow.users["admin"], person=person, community=ow.community_a,
        **community_worker_values(**values))
    if elected:
        CommunityWorker.objects.unscoped().filter(pk=worker.pk).update(
            engagement=Engagement.ELECTED, elected_role="director")
        worker.refresh_from_db()
    return worker


def _incompetent(ow: OrgWorld, worker: CommunityWorker, year: int = 2024) -> Adjustment:
    appraisal = services.appraisal_record(actor=ow.users["street"], worker=worker, year=year,
                                          result="incompetent")
    return Adjustment.objects.unscoped().get(appraisal=appraisal)


def test_only_an_incompetent_appraisal_opens_an_adjustment(ow: OrgWorld, persons: dict) -> None:
    worker = _worker(ow, persons["a1"])
    for year, result in [(2021, "excellent"), (2022, "competent"), (2023, "basic")]:
        services.appraisal_record(actor=ow.users["street"], worker=worker, year=year,
                                  result=result)
    assert not Adjustment.objects.unscoped().exists()
    adjustment = _incompetent(ow, worker)
    assert (adjustment.state, adjustment.year, adjustment.engagement) == (
        "open", 2024, "hired")
    assert AuditEvent.objects.unscoped().filter(action="workforce.adjustment.opened",
                                     target_id=str(adjustment.pk)).count() == 1


def test_community_proposes_and_street_approves_a_demotion(ow: OrgWorld,
                                                           persons: dict) -> None:
    worker = _worker(ow, persons["a1"], grade=6)
    adjustment = _incompetent(ow, worker)
    services.adjustment_propose(actor=ow.users["staff_a"], adjustment=adjustment,
                                kind="demotion", steps=2, reason="连续考核不称职")
    worker.refresh_from_db()
    assert worker.grade == 6  # nothing moves before the street approves
    services.adjustment_approve(actor=ow.users["street"], adjustment=adjustment)
    worker.refresh_from_db()
    adjustment.refresh_from_db()
    assert (worker.grade, worker.post, adjustment.state) == (4, 3, AdjustmentState.APPROVED)
    assert AuditEvent.objects.unscoped().filter(action="workforce.adjustment.approved").count() == 1


def test_demotion_stays_within_the_ladder(ow: OrgWorld, persons: dict) -> None:
    worker = _worker(ow, persons["a1"], grade=2)  # post 3 runs from grade 1
    adjustment = _incompetent(ow, worker)
    with pytest.raises(ValidationFailed) as exc:
        services.adjustment_propose(actor=ow.users["staff_a"], adjustment=adjustment,
                                    kind="demotion", steps=2, reason="不称职")
    assert exc.value.code == "grade_out_of_range"
    adjustment.refresh_from_db()
    assert adjustment.state == AdjustmentState.OPEN


def test_transfer_changes_the_post(ow: OrgWorld, persons: dict) -> None:
    worker = _worker(ow, persons["a1"], post=2, grade=10)
    adjustment = _incompetent(ow, worker)
    services.adjustment_propose(actor=ow.users["staff_a"], adjustment=adjustment,
                                kind="transfer", new_post=3, reason="调整到专职岗位")
    services.adjustment_approve(actor=ow.users["street"], adjustment=adjustment)
    worker.refresh_from_db()
    assert (worker.post, worker.grade) == (3, 10)


def test_dismissal_revokes_the_accounts_grants(ow: OrgWorld, persons: dict,
                                               make_user) -> None:
    account = make_user("community_staff", ow.community_a, "worker_a1")
    grant_add(actor=None, user=account, role="social_worker", region=ow.community_a)
    worker = _worker(ow, persons["a1"])
    CommunityWorker.objects.unscoped().filter(pk=worker.pk).update(account=account)
    adjustment = _incompetent(ow, worker)
    services.adjustment_propose(actor=ow.users["staff_a"], adjustment=adjustment,
                                kind="dismissal", reason="不称职,解聘")
    assert RoleGrant.objects.unscoped().filter(user=account).count() == 2
    services.adjustment_approve(actor=ow.users["street"], adjustment=adjustment)
    worker.refresh_from_db()
    adjustment.refresh_from_db()
    assert worker.status == WorkerStatus.LEFT
    assert not RoleGrant.objects.unscoped().filter(user=account).exists()
    assert adjustment.grants_revoked == 2
    assert AuditEvent.objects.unscoped().filter(action="accounts.grant.revoked").count() >= 2


def test_the_proposer_cannot_approve(ow: OrgWorld, persons: dict) -> None:
    worker = _worker(ow, persons["a1"])
    adjustment = _incompetent(ow, worker)
    services.adjustment_propose(actor=ow.users["street"], adjustment=adjustment,
                                kind="dismissal", reason="不称职")
    with pytest.raises(PermissionDenied) as exc:
        services.adjustment_approve(actor=ow.users["street"], adjustment=adjustment)
    assert exc.value.code == "own_proposal"
    worker.refresh_from_db()
    assert worker.status == WorkerStatus.ACTIVE
    services.adjustment_approve(actor=ow.users["admin"], adjustment=adjustment)
    worker.refresh_from_db()
    assert worker.status == WorkerStatus.LEFT


def test_the_community_cannot_approve(ow: OrgWorld, persons: dict) -> None:
    worker = _worker(ow, persons["a1"])
    adjustment = _incompetent(ow, worker)
    services.adjustment_propose(actor=ow.users["street"], adjustment=adjustment,
                                kind="dismissal", reason="不称职")
    with pytest.raises(PermissionDenied):
        services.adjustment_approve(actor=ow.users["staff_a"], adjustment=adjustment)


def test_hired_kinds_exclude_the_elected_procedure(ow: OrgWorld, persons: dict) -> None:
    adjustment = _incompetent(ow, _worker(ow, persons["a1"]))
    with pytest.raises(ValidationFailed) as exc:
        services.adjustment_propose(actor=ow.users["staff_a"], adjustment=adjustment,
                                    kind="recall", reason="不称职")
    assert exc.value.code == "kind_not_allowed"
    with pytest.raises(Conflict) as conflict:
        services.adjustment_record_procedure(actor=ow.users["staff_a"], adjustment=adjustment,
                                             kind="resignation", procedure_on="2024-12-01",
                                             minutes="辞职书")
    assert conflict.value.code == "hired_worker"


def test_elected_member_refuses_the_street_path(ow: OrgWorld, persons: dict) -> None:
    adjustment = _incompetent(ow, _worker(ow, persons["a1"], elected=True))
    assert adjustment.engagement == Engagement.ELECTED
    with pytest.raises(Conflict) as exc:
        services.adjustment_propose(actor=ow.users["staff_a"], adjustment=adjustment,
                                    kind="dismissal", reason="不称职")
    assert exc.value.code == "elected_member"
    with pytest.raises(Conflict) as approve:
        services.adjustment_approve(actor=ow.users["street"], adjustment=adjustment)
    assert approve.value.code == "elected_member"
    assert "assembly" in approve.value.en and "罢免" in approve.value.zh


def test_elected_member_recalled_by_the_assembly(ow: OrgWorld, persons: dict,
                                                 make_user) -> None:
    account = make_user("community_staff", ow.community_a, "director_a")
    worker = _worker(ow, persons["a2"], elected=True)
    CommunityWorker.objects.unscoped().filter(pk=worker.pk).update(account=account)
    adjustment = _incompetent(ow, worker)
    with pytest.raises(ValidationFailed) as exc:  # 300 of 1000 voted: no quorum
        services.adjustment_record_procedure(
            actor=ow.users["staff_a"], adjustment=adjustment, kind="recall",
            procedure_on="2024-12-01", minutes="居民会议记录", votes_eligible=1000,
            votes_cast=300, votes_for=290)
    assert exc.value.code == "recall_not_passed"
    assert RoleGrant.objects.unscoped().filter(user=account).exists()
    services.adjustment_record_procedure(
        actor=ow.users["staff_a"], adjustment=adjustment, kind="recall",
        procedure_on="2024-12-01", minutes="居民会议记录(2024)第3号", votes_eligible=1000,
        votes_cast=620, votes_for=400)
    worker.refresh_from_db()
    adjustment.refresh_from_db()
    assert (adjustment.state, adjustment.votes_for, worker.status) == (
        "recorded", 400, WorkerStatus.LEFT)
    assert not RoleGrant.objects.unscoped().filter(user=account).exists()
    assert AuditEvent.objects.unscoped().filter(action="workforce.adjustment.recorded").count() == 1


def test_outside_scope_is_not_found(ow: OrgWorld, persons: dict) -> None:
    adjustment = _incompetent(ow, _worker(ow, persons["a1"]))
    with pytest.raises(NotFound):
        services.adjustment_propose(actor=ow.users["street_b"], adjustment=adjustment,
                                    kind="dismissal", reason="x")
    with pytest.raises(NotFound):
        adjustment_get(actor=ow.users["street_b"], adjustment_id=adjustment.pk)
    with pytest.raises(NotFound):
        services.adjustment_approve(actor=ow.users["street_b"], adjustment=adjustment)
    assert adjustment_get(actor=ow.users["staff_a"], adjustment_id=adjustment.pk) == adjustment


def test_adjustments_per_year(ow: OrgWorld, persons: dict) -> None:
    _incompetent(ow, _worker(ow, persons["a1"]), year=2023)
    _incompetent(ow, _worker(ow, persons["a2"]), year=2024)
    assert adjustments_per_year(ow.users["admin"], ow.district, 2024) == 1
    assert adjustments_per_year(ow.users["admin"], ow.community_a, 2023) == 1
    assert adjustments_per_year(ow.users["street_b"], ow.street_b, 2024) == 0
    assert adjustments_per_year(ow.users["admin"], ow.street_b, 2024) == 0
