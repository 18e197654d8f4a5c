"""Closing the loop between a need and a fund (issue 15, item 4): the fund's assignment counts
as taken when its managers approve the disbursement request dispatch made for it, and as done
when it is paid, whichever way the step is taken (service, page, API); the need's societies and
the linkage rate then include charity. A rejected request takes nothing; a reversed payment
gives the assignment back. Real services, real providers, both apps."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.services import grant_add
from wushe.audit.models import AuditEvent
from wushe.charity import services as charity
from wushe.charity.models import Disbursement, Fund
from wushe.core.scoping import scopes_disabled
from wushe.needs import services as needs
from wushe.needs.models import Assignment, Need, NeedEvent
from wushe.orgs.models import OrgStatus, SocialOrganization
from wushe.orgs.tests.factories import agreement
from wushe.regions.models import Region
from wushe.reports.kpis import Period, compute


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


@pytest.fixture
def org(root: User, community_a: Region) -> SocialOrganization:
    with scopes_disabled():
        made = SocialOrganization.objects.create(
            name="杨坪社会工作服务中心", region=community_a, region_path=community_a.path,
            status=OrgStatus.REGISTERED, category="social_work")
    agreement(root, made)  # receives needs with personal data (PIPL Art. 21)
    return made


@pytest.fixture
def org_staff(make_user: Callable[..., User], street: Region, org: SocialOrganization) -> User:
    user = make_user("org_staff", street, "orgstaff")
    grant_add(actor=None, user=user, role="org_staff", region=street, org=org)
    return user


@pytest.fixture
def need(staff_a: User, community_a: Region, org: SocialOrganization, funded: Fund) -> Need:
    """A need dispatched to an organisation (lead) and the fund (support, 800 yuan)."""
    done = needs.need_submit_public(category="temporary_relief", description="家中突发困难,急需帮助",
                                    community=community_a.code, contact_name="王小明",
                                    contact_phone="13912345678", consent=True)
    accepted = needs.need_accept(actor=staff_a, need=done.need)
    return needs.need_dispatch(actor=staff_a, need=accepted, assignments=[
        needs.AssignmentSpec("organisation", str(org.pk), "lead"),
        needs.AssignmentSpec("fund", str(funded.pk), "support", "800")])


def fund_assignment(need: Need) -> Assignment:
    return Assignment.objects.unscoped().get(need_id=need.pk, society="fund")


def request_of(need: Need) -> Disbursement:
    return Disbursement.objects.unscoped().get(need_id=need.pk)


def fresh(need: Need) -> Need:
    return Need.objects.unscoped().get(pk=need.pk)


def taken_events(a: Assignment, actor: User) -> int:
    return AuditEvent.objects.unscoped().filter(action="needs.assignment.taken", actor=actor,
                                     target_id=str(a.need_id),
                                     data__assignment=a.pk).count()


def test_approval_takes_the_fund_assignment_and_payment_finishes_it(
        need: Need, manager: User, admin: User) -> None:
    a = fund_assignment(need)
    assert a.state == "pending"
    charity.disbursement_approve(actor=manager, disbursement=request_of(need), comment="同意")
    a.refresh_from_db()
    assert a.state == "taken" and a.taken_at is not None
    # by the approving manager, with the assignment's own audit code and need event
    assert taken_events(a, manager) == 1
    assert NeedEvent.objects.unscoped().filter(need_id=need.pk, action="support_take", actor=manager).count() == 1
    assert "charity" in fresh(need).society_list
    charity.disbursement_pay(actor=admin, disbursement=request_of(need), payment_ref="PZ-1")
    a.refresh_from_db()
    assert a.state == "done" and a.finished_at is not None
    assert AuditEvent.objects.unscoped().filter(action="needs.assignment.done", actor=admin,
                                     target_id=str(a.pk)).count() == 1


def test_the_fund_assignment_closes_through_the_pages(need: Need, manager: User,
                                                      admin: User) -> None:
    d = request_of(need)
    r = client_for(manager).post(f"/charity/disbursements/{d.pk}/approve", {"comment": "同意"})
    assert r.status_code == 302
    assert fund_assignment(need).state == "taken"
    r = client_for(admin).post(f"/charity/disbursements/{d.pk}/pay", {"payment_ref": "PZ-2"})
    assert r.status_code == 302
    assert fund_assignment(need).state == "done"


def test_the_fund_assignment_closes_through_the_api(need: Need, manager: User,
                                                    admin: User) -> None:
    d = request_of(need)
    r = client_for(manager).post(f"/api/v1/charity/disbursements/{d.pk}/approve",
                                 {"comment": "同意"}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert fund_assignment(need).state == "taken"
    r = client_for(admin).post(f"/api/v1/charity/disbursements/{d.pk}/pay",
                               {"payment_ref": "PZ-3"}, content_type="application/json")
    assert r.status_code == 200, r.content
    assert fund_assignment(need).state == "done"


def test_resolving_keeps_the_fund_and_the_linkage_rate_counts_charity(
        need: Need, manager: User, admin: User, staff_a: User, org_staff: User,
        district: Region) -> None:
    needs.assignment_take(actor=org_staff, assignment=Assignment.objects.unscoped().get(
        need_id=need.pk, society="organisation"))
    charity.disbursement_approve(actor=manager, disbursement=request_of(need))
    charity.disbursement_pay(actor=admin, disbursement=request_of(need))
    needs.need_resolve(actor=staff_a, need=fresh(need), result="组织上门服务,基金救助已发放")
    done = fresh(need)
    assert fund_assignment(need).state == "done"  # not cancelled at resolve
    assert request_of(need).status == "paid"  # and its money not withdrawn
    assert done.society_list == ["organisation", "charity"] and done.society_count == 2
    rate = compute(district.path, Period.all(), ["needs.linkage_rate"])["needs.linkage_rate"]
    assert rate == 1.0


def test_approval_before_resolve_is_enough_for_the_linkage(
        need: Need, manager: User, staff_a: User, org_staff: User) -> None:
    needs.assignment_take(actor=org_staff, assignment=Assignment.objects.unscoped().get(
        need_id=need.pk, society="organisation"))
    charity.disbursement_approve(actor=manager, disbursement=request_of(need))
    needs.need_resolve(actor=staff_a, need=fresh(need), result="已办结,救助款待支付")
    assert fund_assignment(need).state == "done"
    assert request_of(need).status == "approved"  # still to be paid, not withdrawn
    assert "charity" in fresh(need).society_list


def test_a_rejected_request_takes_nothing(need: Need, manager: User, staff_a: User,
                                          org_staff: User) -> None:
    charity.disbursement_reject(actor=manager, disbursement=request_of(need),
                                reason="不符合本基金救助条件")
    a = fund_assignment(need)
    assert a.state == "pending" and a.taken_at is None
    assert taken_events(a, manager) == 0
    needs.assignment_take(actor=org_staff, assignment=Assignment.objects.unscoped().get(
        need_id=need.pk, society="organisation"))
    needs.need_resolve(actor=staff_a, need=fresh(need), result="组织上门服务")
    assert fund_assignment(need).state == "cancelled"
    assert fresh(need).society_list == ["organisation"]


def test_the_first_of_two_signatures_takes_nothing(staff_a: User, community_a: Region,
                                                   org: SocialOrganization, funded: Fund,
                                                   manager: User, manager2: User) -> None:
    done = needs.need_submit_public(category="temporary_relief", description="家中突发困难,急需帮助",
                                    community=community_a.code, contact_name="李大姐",
                                    contact_phone="13912345679", consent=True)
    n = needs.need_dispatch(actor=staff_a, need=needs.need_accept(actor=staff_a, need=done.need),
                            assignments=[needs.AssignmentSpec("organisation", str(org.pk), "lead"),
                                         needs.AssignmentSpec("fund", str(funded.pk), "support",
                                                              "3000")])
    assert request_of(n).approvals_required == 2
    charity.disbursement_approve(actor=manager, disbursement=request_of(n))
    assert fund_assignment(n).state == "pending"
    charity.disbursement_approve(actor=manager2, disbursement=request_of(n))
    a = fund_assignment(n)
    assert a.state == "taken" and taken_events(a, manager2) == 1


def test_taken_by_hand_first_is_not_taken_twice(need: Need, manager: User) -> None:
    a = fund_assignment(need)
    needs.assignment_take(actor=manager, assignment=a)
    charity.disbursement_approve(actor=manager, disbursement=request_of(need))
    a.refresh_from_db()
    assert a.state == "taken" and taken_events(a, manager) == 1
    assert NeedEvent.objects.unscoped().filter(need_id=need.pk, action="support_take").count() == 1


def test_a_reversed_payment_gives_the_assignment_back(need: Need, manager: User,
                                                      admin: User) -> None:
    charity.disbursement_approve(actor=manager, disbursement=request_of(need))
    charity.disbursement_pay(actor=admin, disbursement=request_of(need))
    assert "charity" in fresh(need).society_list
    charity.disbursement_reverse(actor=manager, disbursement=request_of(need), reason="重复支付")
    a = fund_assignment(need)
    assert a.state == "returned" and a.return_reason
    assert "charity" not in fresh(need).society_list
    assert AuditEvent.objects.unscoped().filter(action="needs.assignment.returned",
                                     target_id=str(a.pk)).count() == 1


def test_a_disbursement_not_made_by_dispatch_touches_no_assignment(
        need: Need, funded: Fund, admin: User, manager: User) -> None:
    # The same need named by hand on another request: only dispatch's own request counts.
    other = charity.disbursement_request(actor=admin, fund=funded, amount="100", purpose="慰问",
                                         beneficiary_kind="need", need_id=need.pk,
                                         beneficiary_label="临时救助")
    charity.disbursement_approve(actor=manager, disbursement=other)
    assert fund_assignment(need).state == "pending"
