"""Setting up, scoring and deciding a four-party evaluation, and what the decision sets off."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from wushe.core.scoping import scopes_disabled
from wushe.evaluation import services
from wushe.evaluation.models import CommitteeMember, EvalStatus, Evaluation
from wushe.needs.categories import CATEGORIES
from wushe.needs.models import Need
from wushe.projects.models import ProjectNeed, ServiceProject

ALL_90 = {"purchaser": "0.9", "street": "0.9", "recipients": "0.9", "expert": "0.9"}


def test_create_then_score_then_decide_marks_the_project(ew) -> None:
    ev = ew.evaluation(ew.projects["p"])
    assert ev.status == EvalStatus.OPEN and ev.survey_token
    ev = ew.score_all(ev, ALL_90)
    assert ev.status == EvalStatus.SCORED
    assert ev.total == Decimal("90.00") and ev.grade == "excellent"
    assert ev.suggested_decision == "renew"
    services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="renew")
    ev.refresh_from_db()
    assert ev.status == EvalStatus.DECIDED and ev.decided_by == ew.users["admin"]
    with scopes_disabled():
        project = ServiceProject.objects.get(pk=ew.projects["p"].pk)
    assert project.status == "midterm_evaluated"
    assert AuditEvent.objects.unscoped().filter(action="evaluation.evaluation.decided").count() == 1


def test_final_decision_closes_the_project_renewed_or_not(ew) -> None:
    renewed = ew.evaluation(ew.projects["p"], stage="final")
    ew.score_all(renewed, ALL_90)
    services.evaluation_decide(actor=ew.users["admin"], evaluation=renewed, decision="renew")
    other = ew.project("q")
    failed = ew.score_all(ew.evaluation(other, stage="final"),
                          {"purchaser": "0.5", "street": "0.5", "recipients": "0.5",
                           "expert": "0.5"})
    assert failed.grade == "fail" and failed.suggested_decision == "eliminate"
    services.evaluation_decide(actor=ew.users["admin"], evaluation=failed, decision="eliminate")
    with scopes_disabled():
        first = ServiceProject.objects.get(pk=ew.projects["p"].pk)
        second = ServiceProject.objects.get(pk=other.pk)
        assert (first.status, first.outcome) == ("closed", "renewed")
        assert first.renewals.count() == 1
        assert (second.status, second.outcome) == ("closed", "not_renewed")


def test_a_decision_other_than_the_suggestion_needs_a_reason(ew) -> None:
    ev = ew.score_all(ew.evaluation(ew.projects["p"]),
                      {"purchaser": "0.7", "street": "0.7", "recipients": "0.7", "expert": "0.7"})
    assert ev.grade == "pass" and ev.suggested_decision == "rectify"
    with pytest.raises(ValidationFailed) as exc:
        services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="renew")
    assert exc.value.field == "reason"
    ev.refresh_from_db()
    assert ev.status == EvalStatus.SCORED and not ev.decision
    services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="renew",
                               reason="服务对象强烈要求延续,整改项已落实")
    ev.refresh_from_db()
    assert ev.decision == "renew" and ev.suggested_decision == "rectify"
    with pytest.raises(Conflict):
        services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="renew")


def test_no_decision_before_every_member_scored(ew) -> None:
    ev = ew.evaluation(ew.projects["p"])
    member = CommitteeMember.objects.get(evaluation=ev, party="purchaser")
    services.scores_submit(actor=ew.users["admin"], member=member, scores=ew.sheet(ev, "0.9"))
    with pytest.raises(Conflict) as exc:
        services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="renew")
    assert exc.value.code == "not_scored" and "未评分" in exc.value.zh


def test_only_street_and_district_staff_decide(ew) -> None:
    ev = ew.score_all(ew.evaluation(ew.projects["p"]), ALL_90)
    with pytest.raises(PermissionDenied):
        services.evaluation_decide(actor=ew.users["evaluator"], evaluation=ev, decision="renew")
    with pytest.raises(NotFound):
        services.evaluation_decide(actor=ew.users["street_b"], evaluation=ev, decision="renew")


def test_scores_outside_zero_to_max_are_refused_and_nothing_changes(ew) -> None:
    ev = ew.evaluation(ew.projects["p"])
    member = CommitteeMember.objects.get(evaluation=ev, party="expert")
    sheet = ew.sheet(ev, "0.8")
    first = next(iter(sheet))
    top = ev.indicator_set.indicators.get(pk=first).max_score
    for bad in (top + 1, Decimal("-1"), "abc", "8.25", None):
        sheet[first] = (bad, "")
        with pytest.raises(ValidationFailed) as exc:
            services.scores_submit(actor=ew.users["evaluator"], member=member, scores=sheet)
        assert exc.value.field == f"score_{first}"
    member.refresh_from_db()
    assert member.total is None and not member.scores.exists()
    sheet[first] = ("１２", "")  # full-width digits are normalised
    sheet.pop(first)
    with pytest.raises(ValidationFailed):  # every indicator is required
        services.scores_submit(actor=ew.users["evaluator"], member=member, scores=sheet)
    sheet[first] = ("１２", "<script>x</script>")
    with pytest.raises(ValidationFailed):
        services.scores_submit(actor=ew.users["evaluator"], member=member, scores=sheet)


def test_an_evaluator_not_on_the_committee_cannot_score(ew) -> None:
    ev = ew.evaluation(ew.projects["p"])
    seat = CommitteeMember.objects.get(evaluation=ev, party="expert")
    with pytest.raises(PermissionDenied):
        services.scores_submit(actor=ew.users["evaluator2"], member=seat,
                               scores=ew.sheet(ev, "0.9"))
    # Out of its region the evaluation does not even exist.
    with pytest.raises(NotFound):
        services.scores_submit(actor=ew.users["evaluator_b"], member=seat,
                               scores=ew.sheet(ev, "0.9"))
    # A recipient seat without an account is entered by the district, not by an evaluator.
    anonymous = CommitteeMember.objects.get(evaluation=ev, party="recipients")
    with pytest.raises(PermissionDenied):
        services.scores_submit(actor=ew.users["evaluator"], member=anonymous,
                               scores=ew.sheet(ev, "0.9"))


def test_conflict_of_interest_refuses_seat_and_scores(ew) -> None:
    ev = ew.evaluation(ew.projects["p"])
    insider = ew.users["orgstaff"]
    from wushe.accounts.services import grant_add
    grant_add(actor=None, user=insider, role="evaluator", region=ew.district)
    with pytest.raises(ValidationFailed) as exc:
        services.member_add(actor=ew.users["admin"], evaluation=ev, party="expert", user=insider)
    assert exc.value.code == "conflict_of_interest" and "利益冲突" in exc.value.zh
    # Someone already seated who then joins the organisation can no longer score.
    seat = CommitteeMember.objects.get(evaluation=ev, party="expert")
    grant_add(actor=None, user=ew.users["evaluator"], role="org_staff", region=ew.street,
              org=ew.orgs["a"])
    from wushe.accounts import scope
    scope.forget(ew.users["evaluator"])
    with pytest.raises(ValidationFailed) as exc:
        services.scores_submit(actor=ew.users["evaluator"], member=seat,
                               scores=ew.sheet(ev, "0.9"))
    assert exc.value.code == "conflict_of_interest"
    # Another organisation's project is fine.
    other = ew.evaluation(ew.project("other", org="b"))
    seat_b = CommitteeMember.objects.get(evaluation=other, party="expert")
    services.scores_submit(actor=ew.users["evaluator"], member=seat_b,
                           scores=ew.sheet(other, "0.9"))


def test_committee_rules(ew) -> None:
    admin = ew.users["admin"]
    ev = services.evaluation_create(actor=admin, project=ew.projects["p"], stage="midterm")
    with pytest.raises(Conflict):
        services.evaluation_create(actor=admin, project=ew.projects["p"], stage="midterm")
    with pytest.raises(ValidationFailed):  # an expert seat must be an account
        services.member_add(actor=admin, evaluation=ev, party="expert", name="某专家")
    with pytest.raises(ValidationFailed):  # an account without evaluation.score here
        services.member_add(actor=admin, evaluation=ev, party="street",
                            user=ew.users["street_b"])
    services.member_add(actor=admin, evaluation=ev, party="expert", user=ew.users["evaluator"])
    with pytest.raises(Conflict):
        services.member_add(actor=admin, evaluation=ev, party="expert",
                            user=ew.users["evaluator"])
    with pytest.raises(PermissionDenied):
        services.member_add(actor=ew.users["street"], evaluation=ev, party="expert",
                            user=ew.users["evaluator2"])
    with pytest.raises(Conflict) as exc:  # the mid-term is still open
        services.evaluation_create(actor=admin, project=ew.projects["p"], stage="final")
    assert exc.value.code == "illegal_transition"
    designed = ew.project("d", status="designed")
    with pytest.raises(Conflict):
        services.evaluation_create(actor=admin, project=designed, stage="midterm")


def _closed_needs(ew, project, ratings: list[int]) -> None:
    category = next(iter(CATEGORIES))
    with scopes_disabled():
        for i, r in enumerate(ratings):
            need = Need.objects.create(
                tracking_code=f"T{project.pk:04d}{i:06d}", channel="online", category=category,
                description="测试", region=ew.community_a, community=ew.community_a,
                region_path=ew.community_a.path, state="closed", satisfaction=r,
                due_on=dt.date(2025, 1, 1))
            ProjectNeed.objects.create(project=project, need=need, region_path=project.region_path)


def test_recipients_score_from_need_ratings_and_the_survey(ew) -> None:
    project = ew.projects["p"]
    ev = ew.evaluation(project, recipients=0)
    ev = ew.score_all(ev, ALL_90)
    assert ev.status == EvalStatus.OPEN and ev.recipients_score is None
    _closed_needs(ew, project, [5, 5, 4, 4])  # mean 4.5 → 87.5
    services.survey_submit(token=ev.survey_token, answers=[3, 3, 3, 3, 3])
    ev.refresh_from_db()
    # Ratings count (4 ≥ 3), the survey not yet (1 < 3): recipients = ratings only.
    assert ev.recipients_score == Decimal("87.50")
    assert ev.recipients_detail["survey"]["counted"] is False
    assert ev.status == EvalStatus.SCORED
    for _ in range(2):
        services.survey_submit(token=ev.survey_token, answers=[3, 3, 3, 3, 3], comment="还不错")
    ev.refresh_from_db()
    # (40·87.5 + 30·50) / 70 = 71.43
    assert ev.recipients_score == Decimal("71.43")
    # 0.3·90 + 0.2·90 + 0.2·71.43 + 0.3·90 = 86.286 → 86.29
    assert ev.total == Decimal("86.29") and ev.grade == "good"


def test_survey_validation_and_closing(ew) -> None:
    ev = ew.evaluation(ew.projects["p"])
    for bad in ([1, 2, 3], [0, 1, 1, 1, 1], [6, 5, 5, 5, 5], ["x", 1, 1, 1, 1]):
        with pytest.raises(ValidationFailed):
            services.survey_submit(token=ev.survey_token, answers=bad)
    with pytest.raises(NotFound):
        services.survey_submit(token="nope", answers=[5, 5, 5, 5, 5])
    ew.score_all(ev, ALL_90)
    services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="renew")
    with pytest.raises(Conflict):
        services.survey_submit(token=ev.survey_token, answers=[5, 5, 5, 5, 5])
    assert Evaluation.objects.unscoped().get(pk=ev.pk).survey_responses.count() == 0


def test_weights_in_force_are_checked_when_computing(ew, settings) -> None:
    ev = ew.evaluation(ew.projects["p"])
    settings.WUSHE_EVALUATION_PARTY_WEIGHTS = [30, 30, 30, 30]
    member = CommitteeMember.objects.get(evaluation=ev, party="expert")
    with pytest.raises(ValidationFailed) as exc:
        services.scores_submit(actor=ew.users["evaluator"], member=member,
                               scores=ew.sheet(ev, "0.9"))
    assert exc.value.code == "weights_invalid"
    member.refresh_from_db()
    assert member.total is None


def test_a_refusal_by_the_projects_app_rolls_the_decision_back(ew) -> None:
    ev = ew.score_all(ew.evaluation(ew.projects["p"]), ALL_90)
    with scopes_disabled():
        ServiceProject.objects.filter(pk=ew.projects["p"].pk).update(status="closed")
    with pytest.raises(Conflict):  # projects refuses closed → midterm_evaluated
        services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="renew")
    ev.refresh_from_db()
    assert ev.status == EvalStatus.SCORED and not ev.decision and ev.decided_at is None


def test_a_members_name_is_ciphertext_and_masked_in_the_audit_log(ew) -> None:
    """#22: a recipients' representative is a resident: the name is encrypted at rest and
    the audit event names the member masked."""
    from django.db import connection

    admin = ew.users["admin"]
    ev = services.evaluation_create(actor=admin, project=ew.projects["p"], stage="midterm")
    member = services.member_add(actor=admin, evaluation=ev, party="recipients", name="蒋居民甲")
    with connection.cursor() as cur:
        cur.execute("SELECT name FROM evaluation_committeemember WHERE id = %s", [member.pk])
        assert "蒋居民甲" not in cur.fetchone()[0]
    with scopes_disabled():
        assert CommitteeMember.objects.get(pk=member.pk).name == "蒋居民甲"
    event = AuditEvent.objects.unscoped().filter(action="evaluation.member.added").last()
    assert event.target_label == "蒋*民甲"
