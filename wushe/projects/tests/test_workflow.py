"""The lifecycle: every legal move succeeds through its service and leaves a ProjectEvent;
every illegal move is refused in both languages and changes nothing."""

from __future__ import annotations

import itertools
from types import SimpleNamespace

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import IllegalTransition, ValidationFailed
from wushe.projects import services, workflow
from wushe.projects.models import ProjectEvent, ServiceProject, Status

LEGAL = {
    ("designed", "listed"), ("listed", "procured"), ("procured", "contracted"),
    ("contracted", "in_service"), ("in_service", "midterm_evaluated"),
    ("in_service", "final_evaluated"), ("in_service", "closed"),
    ("midterm_evaluated", "final_evaluated"), ("midterm_evaluated", "closed"),
    ("final_evaluated", "closed"),
}


@pytest.mark.parametrize(("src", "dst"), list(itertools.product(Status.values, Status.values)))
def test_transition_table(src, dst):
    project = SimpleNamespace(status=src)
    if (src, dst) in LEGAL:
        workflow.check(project, to=dst)
    else:
        with pytest.raises(IllegalTransition) as exc:
            workflow.check(project, to=dst)
        assert exc.value.zh and exc.value.en and exc.value.code == "illegal_transition"


def test_full_walk_records_every_move(pw):
    project = pw.design()
    pw.walk(project, Status.CLOSED)
    moves = list(ProjectEvent.objects.unscoped().filter(project=project)
                 .values_list("from_status", "to_status"))
    assert moves == [("", "designed"), ("designed", "listed"), ("listed", "procured"),
                     ("procured", "contracted"), ("contracted", "in_service"),
                     ("in_service", "midterm_evaluated"),
                     ("midterm_evaluated", "final_evaluated"), ("final_evaluated", "closed")]
    assert project.outcome == "not_renewed"
    actions = set(AuditEvent.objects.unscoped().filter(target_id=str(project.pk))
                  .values_list("action", flat=True))
    assert {"projects.project.created", "projects.project.listed", "projects.project.procured",
            "projects.project.contracted", "projects.project.started",
            "projects.project.evaluated", "projects.project.closed"} <= actions


def test_final_evaluation_may_skip_the_midterm(pw):
    project = pw.walk(pw.design(), Status.IN_SERVICE)
    services.project_mark_evaluated(actor=pw.admin, project=project, stage="final")
    assert project.status == Status.FINAL_EVALUATED


def test_early_close_from_in_service_is_not_renewed_only(pw):
    project = pw.walk(pw.design(), Status.IN_SERVICE)
    with pytest.raises(IllegalTransition):
        services.project_close(actor=pw.admin, project=project, renewed=True)
    project.refresh_from_db()
    assert project.status == Status.IN_SERVICE and project.outcome == ""
    services.project_close(actor=pw.admin, project=project, renewed=False, note="中期评估不合格")
    assert project.status == Status.CLOSED and project.outcome == "not_renewed"


@pytest.mark.parametrize("status", ["designed", "listed", "procured", "contracted"])
def test_evaluation_before_service_is_refused(pw, status):
    project = pw.walk(pw.design(), status)
    events = ProjectEvent.objects.unscoped().filter(project=project).count()
    for stage in ("midterm", "final"):
        with pytest.raises(IllegalTransition):
            services.project_mark_evaluated(actor=pw.admin, project=project, stage=stage)
    with pytest.raises(IllegalTransition):
        services.project_close(actor=pw.admin, project=project, renewed=False)
    project.refresh_from_db()
    assert project.status == status
    assert ProjectEvent.objects.unscoped().filter(project=project).count() == events


def test_midterm_after_final_and_moves_after_close_are_refused(pw):
    project = pw.walk(pw.design(), Status.FINAL_EVALUATED)
    with pytest.raises(IllegalTransition):
        services.project_mark_evaluated(actor=pw.admin, project=project, stage="midterm")
    services.project_close(actor=pw.admin, project=project, renewed=False)
    for call in (lambda: services.project_start(actor=pw.admin, project=project),
                 lambda: services.project_mark_evaluated(actor=pw.admin, project=project,
                                                         stage="final"),
                 lambda: services.project_close(actor=pw.admin, project=project, renewed=True)):
        with pytest.raises((IllegalTransition, ValidationFailed)):
            call()
    project.refresh_from_db()
    assert project.status == Status.CLOSED


def test_skipping_steps_is_refused(pw):
    project = pw.design()
    with pytest.raises(IllegalTransition):
        services.project_start(actor=pw.admin, project=project)
    with pytest.raises(IllegalTransition):
        services.procurement_record(actor=pw.admin, project=project, method="single_source",
                                    candidate_ids=[pw.orgs["a"].pk],
                                    selected_id=pw.orgs["a"].pk, reason="原承接方")
    import datetime as dt

    with pytest.raises(IllegalTransition):
        services.contract_sign(actor=pw.admin, project=project, amount="1000",
                               start=dt.date(2026, 1, 1), end=dt.date(2026, 6, 30))
    project.refresh_from_db()
    assert project.status == Status.DESIGNED and project.provider_id is None


def test_unknown_stage_is_refused(pw):
    project = pw.walk(pw.design(), Status.IN_SERVICE)
    with pytest.raises(ValidationFailed):
        services.project_mark_evaluated(actor=pw.admin, project=project, stage="annual")


def test_renewal_creates_next_years_project(pw):
    project = pw.walk(pw.design(), Status.FINAL_EVALUATED)
    services.project_close(actor=pw.admin, project=project, renewed=True, note="评估优秀")
    assert project.outcome == "renewed"
    nxt = ServiceProject.objects.unscoped().get(renewed_from=project)
    assert (nxt.status, nxt.year, nxt.provider_id, nxt.region_id, nxt.budget) == (
        "designed", project.year + 1, project.provider_id, project.region_id, project.budget)
    assert nxt.indicators.unscoped().count() == project.indicators.unscoped().count() == 1


def test_events_are_append_only(pw):
    from wushe.audit.models import AppendOnlyError

    project = pw.design()
    event = ProjectEvent.objects.unscoped().filter(project=project).first()
    with pytest.raises(AppendOnlyError):
        event.save()


def test_evaluation_services_need_a_manager(pw):
    from wushe.core.errors import NotFound, PermissionDenied

    project = pw.walk(pw.design(), Status.IN_SERVICE)
    with pytest.raises(PermissionDenied):  # street staff see it but may not decide
        services.project_mark_evaluated(actor=pw.users["street"], project=project,
                                        stage="midterm")
    with pytest.raises(NotFound):
        services.project_close(actor=pw.users["street_b"], project=project, renewed=False)
    project.refresh_from_db()
    assert project.status == Status.IN_SERVICE
