"""What the evaluation app plugs into the projects app: payment gate, eligibility, figures."""

from __future__ import annotations

from django.db import connection

from wushe.core.figures import STATS
from wushe.evaluation import integration, services
from wushe.projects import hooks

ALL = {"purchaser": "0.9", "street": "0.9", "recipients": "0.9", "expert": "0.9"}
FAIL = {"purchaser": "0.5", "street": "0.5", "recipients": "0.5", "expert": "0.5"}
PASS = {"purchaser": "0.7", "street": "0.7", "recipients": "0.7", "expert": "0.7"}


def test_gates_and_checks_are_registered() -> None:
    assert integration.stage_gate in hooks.GATES
    assert integration.eliminated_check in hooks.ELIGIBILITY
    assert hooks.PANELS["evaluation"].template == "evaluation/_project_panel.html"


def test_payment_gate_none_false_true(ew) -> None:
    project = ew.projects["p"]
    assert integration.stage_gate(project, "midterm") is None  # no evaluation yet
    ev = ew.evaluation(project)
    assert integration.stage_gate(project, "midterm") is None  # open
    ew.score_all(ev, PASS)
    assert integration.stage_gate(project, "midterm") is True  # scored, pass
    assert hooks.stage_passed(project, "midterm") is True
    other = ew.project("q")
    ew.score_all(ew.evaluation(other), FAIL)
    assert integration.stage_gate(other, "midterm") is False  # scored, fail
    assert hooks.stage_passed(other, "midterm") is False
    assert integration.stage_gate(other, "final") is None


def test_an_eliminated_organisation_is_refused_next_cycle(ew) -> None:
    org = ew.orgs["a"]
    assert hooks.ineligible_reasons(org, 2026) == []
    ev = ew.score_all(ew.evaluation(ew.projects["p"], stage="final"), FAIL)
    services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="eliminate")
    reasons = hooks.ineligible_reasons(org, 2026)
    assert len(reasons) == 1
    zh, en = reasons[0]
    assert "淘汰" in zh and "2026" in zh and "eliminated" in en and ev.project.code in en
    assert integration.eliminated_check(org, 2025) is not None  # the same cycle too
    assert integration.eliminated_check(org, 2027) is None  # one cycle only
    assert integration.eliminated_check(ew.orgs["b"], 2026) is None


def test_a_midterm_rectify_does_not_bar_the_organisation(ew) -> None:
    ev = ew.score_all(ew.evaluation(ew.projects["p"]), PASS)
    services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision="rectify")
    assert integration.eliminated_check(ew.orgs["a"], 2026) is None


def _raw(sql: str) -> int:
    with connection.cursor() as cur:
        cur.execute(sql)
        return int(cur.fetchone()[0])


def test_stats_match_raw_sql(ew) -> None:
    admin = ew.users["admin"]
    plans = [("p", "a", "final", ALL, "renew"), ("q", "a", "final", ALL, "renew"),
             ("r", "b", "final", FAIL, "eliminate"), ("s", "b", "midterm", FAIL, "eliminate"),
             ("t", "b", "final", PASS, "rectify")]
    for key, org, stage, fractions, decision in plans:
        project = ew.projects.get(key) or ew.project(key, org=org)
        ev = ew.score_all(ew.evaluation(project, stage=stage), fractions)
        services.evaluation_decide(actor=admin, evaluation=ev, decision=decision)
    ew.score_all(ew.evaluation(ew.project("u", org="b"), stage="final"), ALL)  # not decided
    figures = STATS["evaluation"](ew.district.path)
    assert figures["evaluation.excellent_orgs"] == _raw(
        "select count(distinct provider_id) from evaluation_evaluation where status='decided' "
        "and stage='final' and grade='excellent'") == 1
    assert figures["evaluation.renewed"] == _raw(
        "select count(*) from evaluation_evaluation where status='decided' and stage='final' "
        "and decision='renew'") == 2
    assert figures["evaluation.eliminated"] == _raw(
        "select count(distinct provider_id) from evaluation_evaluation where status='decided' "
        "and decision='eliminate'") == 1
    assert STATS["evaluation"](ew.street_b.path)["evaluation.renewed"] == 0
