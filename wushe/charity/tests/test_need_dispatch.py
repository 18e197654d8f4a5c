"""The side effects of 派单 on the resources' side (issue 6, item 5): a volunteer team gets an
activity for the need, whose check-outs are pending service records; a charity fund gets a
disbursement request for the amount the dispatcher asked, withdrawn if the fund returns it.
Real providers, real services, both apps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from wushe.accounts.models import User
from wushe.charity.models import Disbursement, Fund
from wushe.conftest import make_id_number
from wushe.core.errors import ValidationFailed
from wushe.needs import services as needs
from wushe.needs.models import Assignment, Need
from wushe.needs.tests.conftest import committee
from wushe.regions.models import Region
from wushe.volunteers import services as volunteers
from wushe.volunteers.models import Activity, ServiceRecord, Team


@pytest.fixture
def team(root: User, district: Region, street: Region, community_a: Region) -> Team:
    corps = volunteers.team_create(actor=root, name="九龙坡区志愿服务总队", level="corps",
                                   region=district)
    det = volunteers.team_create(actor=root, name="杨家坪街道志愿服务分队", level="detachment",
                                 region=street, parent=corps)
    return volunteers.team_create(actor=root, name="杨坪社区生命花小队", level="squad",
                                  region=community_a, parent=det)


@pytest.fixture
def need(staff_a: User, community_a: Region) -> Need:
    done = needs.need_submit_public(category="temporary_relief", description="家中突发困难,急需帮助",
                                    community=community_a.code, contact_name="王小明",
                                    contact_phone="13912345678", consent=True)
    return needs.need_accept(actor=staff_a, need=done.need)


def dispatch(staff: User, need: Need, team: Team, fund: Fund, amount: Any = "800") -> Need:
    return needs.need_dispatch(actor=staff, need=need, assignments=[
        needs.AssignmentSpec("volunteer_team", str(team.pk), "lead"),
        needs.AssignmentSpec("fund", str(fund.pk), "support", amount)])


def nothing_written(need: Need) -> None:
    assert not Assignment.objects.unscoped().filter(need_id=need.pk).exists()
    assert not Disbursement.objects.unscoped().filter(need_id=need.pk).exists()
    assert not Activity.objects.unscoped().filter(title__contains=need.tracking_code).exists()


def test_dispatch_opens_an_activity_and_requests_the_money(
        staff_a: User, need: Need, team: Team, funded: Fund, root: User) -> None:
    dispatch(staff_a, need, team, funded)
    by = {a.society: a for a in Assignment.objects.unscoped().filter(need_id=need.pk)}
    activity = Activity.objects.unscoped().get(pk=int(by["volunteer_team"].external_ref.split(":")[1]))
    assert activity.team_id == team.pk and activity.status == "open"
    assert need.tracking_code in activity.title and activity.kind == "emergency"
    # the resident's name and phone never reach the team's activity
    for text in (activity.title, activity.description, activity.place):
        assert "王小明" not in text and "13912345678" not in text
    d = Disbursement.objects.unscoped().get(pk=int(by["fund"].external_ref.split(":")[1]))
    assert (d.status, d.amount, d.need_id, d.requested_by_id) == (
        "requested", Decimal("800.00"), need.pk, staff_a.pk)
    assert d.beneficiary_kind == "need" and "王小明" not in d.purpose
    assert by["fund"].requested_amount == Decimal("800.00")

    # a volunteer of the team serves it: the check-out is a pending service record
    v = volunteers.volunteer_register(
        actor=root, region=team.region, team=team,
        data=volunteers.Registration(name="李志愿", id_number=make_id_number(seq="321"),
                                     phone="13800138000"))
    signup = volunteers.signup_create(actor=root, activity=activity, volunteer=v)
    start = timezone.now() - dt.timedelta(hours=2)
    volunteers.signup_check_in(actor=root, signup=signup, at=start)
    record = volunteers.signup_check_out(actor=root, signup=signup,
                                         at=start + dt.timedelta(hours=2))
    assert isinstance(record, ServiceRecord) and record.status == "pending"
    assert record.activity_id == activity.pk and record.hours == Decimal("2.00")

    # the team takes and handles it; resolving the need finishes the activity
    leader_take = by["volunteer_team"]
    needs.assignment_take(actor=root, assignment=leader_take)
    needs.need_resolve(actor=staff_a, need=Need.objects.unscoped().get(pk=need.pk),
                       result="志愿者上门协助,基金救助在审批中")
    activity.refresh_from_db()
    assert activity.status == "finished"
    # the fund never took it: the request is withdrawn
    d.refresh_from_db()
    assert d.status == "cancelled" and d.closing_reason


def test_a_returned_fund_assignment_withdraws_its_request(
        staff_a: User, need: Need, team: Team, funded: Fund, manager: User) -> None:
    dispatch(staff_a, need, team, funded, amount="１２００")  # full-width digits
    a = Assignment.objects.unscoped().get(need_id=need.pk, society="fund")
    d = Disbursement.objects.unscoped().get(need_id=need.pk)
    assert d.amount == Decimal("1200.00")
    needs.assignment_return(actor=manager, assignment=a, reason="本基金不覆盖此类情况")
    d.refresh_from_db()
    assert d.status == "cancelled"


@pytest.mark.parametrize("amount, code", [
    (None, "amount_required"), ("", "amount_required"), ("-5", "invalid_amount"),
    ("0", "invalid_amount"), ("12.345", "invalid_amount"), ("<script>", "invalid_amount"),
    ("99999999999", "invalid_amount"), ("6000", "above_cap"),  # the fund's cap per case is 5000
])
def test_a_bad_amount_refuses_the_whole_dispatch(staff_a: User, need: Need, team: Team,
                                                 funded: Fund, amount: Any, code: str) -> None:
    with pytest.raises(ValidationFailed) as exc:
        dispatch(staff_a, need, team, funded, amount=amount)
    assert exc.value.code == code
    assert exc.value.zh and exc.value.en
    nothing_written(need)
    assert Need.objects.unscoped().get(pk=need.pk).state == "accepted"


def test_an_amount_is_only_for_a_fund(staff_a: User, need: Need) -> None:
    with pytest.raises(ValidationFailed):
        needs.need_dispatch(actor=staff_a, need=need, assignments=[
            needs.AssignmentSpec("committee", str(staff_a.pk), "lead", "100")])
    nothing_written(need)
    assert committee(staff_a).society == "committee"


def test_dispatch_by_api_and_page_carry_the_amount(staff_a: User, need: Need, team: Team,
                                                   funded: Fund) -> None:
    c = Client()
    c.force_login(staff_a, backend="wushe.accounts.backends.LockoutBackend")
    body = {"assignments": [{"society": "volunteer_team", "object_id": str(team.pk), "role": "lead"},
                            {"society": "fund", "object_id": str(funded.pk)}]}
    r = c.post(f"/api/v1/needs/{need.pk}/dispatch", body, content_type="application/json")
    assert r.status_code == 400 and "amount" in r.content.decode()
    nothing_written(need)
    body["assignments"][1]["amount"] = "300.50"
    r = c.post(f"/api/v1/needs/{need.pk}/dispatch", body, content_type="application/json")
    assert r.status_code == 200, r.content
    assert Disbursement.objects.unscoped().get(need_id=need.pk).amount == Decimal("300.50")
    page = c.get(f"/needs/{need.pk}/").content.decode()
    assert "data-testid=\"linked-record\"" in page and "/charity/disbursements/" in page
