"""An "eliminate" decision moves the organisation to the status eliminated (issue 15, item 4),
so the two 淘汰 figures (evaluation.eliminated and orgs.eliminated) agree, and an eliminated
organisation is offered no new need and may not deliver projects any more."""

from __future__ import annotations

import pytest

from wushe.audit.models import AuditEvent
from wushe.core.errors import ValidationFailed
from wushe.core.figures import STATS
from wushe.evaluation import services
from wushe.evaluation.tests.conftest import EvalWorld
from wushe.needs import services as needs
from wushe.needs.models import Need
from wushe.orgs.models import SocialOrganization, StatusChange
from wushe.orgs.services import org_transition
from wushe.projects import eligibility

FAIL = {"purchaser": "0.5", "street": "0.5", "recipients": "0.5", "expert": "0.5"}
PASS = {"purchaser": "0.7", "street": "0.7", "recipients": "0.7", "expert": "0.7"}
ALL = {"purchaser": "0.9", "street": "0.9", "recipients": "0.9", "expert": "0.9"}


def status(org: SocialOrganization) -> str:
    return SocialOrganization.objects.unscoped().get(pk=org.pk).status


def decide(ew: EvalWorld, project_key: str, org: str, stage: str, fractions: dict[str, str],
           decision: str) -> None:
    project = ew.projects.get(project_key) or ew.project(project_key, org=org)
    ev = ew.score_all(ew.evaluation(project, stage=stage), fractions)
    services.evaluation_decide(actor=ew.users["admin"], evaluation=ev, decision=decision)


def accepted_need(ew: EvalWorld) -> Need:
    done = needs.need_submit_public(category="counselling", description="孩子需要心理疏导",
                                    community=ew.community_a.code, contact_name="王小明",
                                    contact_phone="13912345678", consent=True)
    return needs.need_accept(actor=ew.users["staff_a"], need=done.need)


def test_eliminate_moves_the_organisation_to_eliminated(ew: EvalWorld) -> None:
    org = ew.orgs["a"]
    decide(ew, "p", "a", "final", FAIL, "eliminate")
    assert status(org) == "eliminated"
    change = StatusChange.objects.unscoped().get(org=org)
    assert (change.from_status, change.to_status, change.by_id) == (
        "registered", "eliminated", ew.users["admin"].pk)
    event = AuditEvent.objects.unscoped().get(action="orgs.org.status_changed",
                                              target_id=str(org.pk))
    assert event.data["to"] == "eliminated" and event.data["via"] == "evaluation"
    assert event.actor_id == ew.users["admin"].pk
    # the organisations' list shows it under its status filter, and no longer among the others
    page = ew.client("admin").get("/orgs/", {"status": "eliminated"}).content.decode()
    assert org.name in page and ew.orgs["b"].name not in page
    page = ew.client("admin").get("/orgs/", {"status": "registered"}).content.decode()
    assert org.name not in page and ew.orgs["b"].name in page


def test_rectify_and_renew_leave_the_status(ew: EvalWorld) -> None:
    decide(ew, "p", "a", "midterm", PASS, "rectify")
    decide(ew, "q", "b", "final", ALL, "renew")
    assert (status(ew.orgs["a"]), status(ew.orgs["b"])) == ("registered", "registered")


def test_the_two_elimination_figures_agree(ew: EvalWorld) -> None:
    # a: eliminated at a final evaluation, then again by another project's (idempotent);
    # b: eliminated at a midterm evaluation; a third organisation renewed.
    ew.orgs["c"] = SocialOrganization.objects.unscoped().create(
        name="九龙坡公益服务中心", region=ew.street, region_path=ew.street.path,
        status="filed", category="public_service")
    decide(ew, "p", "a", "final", FAIL, "eliminate")
    decide(ew, "q", "a", "final", FAIL, "eliminate")
    decide(ew, "r", "b", "midterm", FAIL, "eliminate")
    decide(ew, "s", "c", "final", ALL, "renew")
    assert StatusChange.objects.unscoped().filter(org=ew.orgs["a"]).count() == 1
    for path in (ew.district.path, ew.street.path):
        evaluation = STATS["evaluation"](path)["evaluation.eliminated"]
        orgs = STATS["orgs"](path)["orgs.eliminated"]
        assert evaluation == orgs == 2
    assert STATS["orgs"](ew.district.path)["orgs.total"] == 1  # eliminated ones are history


def test_an_organisation_eliminated_by_hand_first_stays_eliminated(ew: EvalWorld) -> None:
    org_transition(actor=ew.root, org=ew.orgs["a"], to="eliminated", reason="注销登记")
    decide(ew, "p", "a", "final", FAIL, "eliminate")
    assert status(ew.orgs["a"]) == "eliminated"
    assert StatusChange.objects.unscoped().filter(org=ew.orgs["a"]).count() == 1


def test_an_eliminated_organisation_gets_no_new_work(ew: EvalWorld) -> None:
    org = ew.orgs["a"]
    staff = ew.users["staff_a"]
    spec = needs.AssignmentSpec("organisation", str(org.pk), "lead")
    first = accepted_need(ew)
    needs.need_dispatch(actor=staff, need=first, assignments=[spec])  # still active: accepted
    assert eligibility.reasons_for(org, year=2027, region_path=ew.community_a.path) == []
    decide(ew, "p", "a", "final", FAIL, "eliminate")
    second = accepted_need(ew)
    with pytest.raises(ValidationFailed) as exc:
        needs.need_dispatch(actor=staff, need=second, assignments=[spec])
    assert exc.value.code == "not_eligible"
    assert Need.objects.unscoped().get(pk=second.pk).state == "accepted"
    # nor may it deliver a project (the projects' eligibility refuses its status)
    reasons = eligibility.reasons_for(SocialOrganization.objects.unscoped().get(pk=org.pk),
                                      year=2027, region_path=ew.community_a.path)
    assert any("淘汰" in zh for zh, _en in reasons)
