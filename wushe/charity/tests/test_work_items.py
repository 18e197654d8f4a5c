"""The charity app's work items (charity/work.py through inbox/): a disbursement request waits
for the accounts that may approve it for its fund and only them — never its requester, never a
manager who has already signed — and an approved one waits for whoever may pay; each closes
when its action happens on the page or through the API."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from wushe.accounts.models import User
from wushe.accounts.services import grant_add
from wushe.charity import services
from wushe.charity.models import Disbursement, Fund
from wushe.inbox.selectors import work_counts
from wushe.people.services import person_create
from wushe.regions.models import Region

APPROVE, PAY = "charity.disbursement.approve", "charity.disbursement.pay"


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def kinds(user: User) -> dict[str, int]:
    return work_counts(actor=user)


@pytest.fixture
def other_manager(make_user: Callable[..., User], community_a: Region,
                  community_fund: Fund) -> User:
    """The manager of another fund (the community's), granted over its community only."""
    user = make_user("fund_manager", community_a, "fund_manager_other")
    grant_add(actor=None, user=user, role="fund_manager", region=community_a, fund=community_fund)
    return user


@pytest.fixture
def relief(funded: Fund, admin: User, staff_a: User, community_a: Region) -> Disbursement:
    """3,000 yuan for a person in care: above the fund's 2,000 threshold, two signatures."""
    person = person_create(actor=staff_a, region=community_a, name="张三丰",
                           id_number="11010519491231002X", phone="13987654321")
    return services.disbursement_request(actor=admin, fund=funded, amount="3000",
                                         purpose="张三丰家中失火的临时救助",
                                         beneficiary_kind="person", person=person)


def test_a_request_waits_for_the_funds_approvers_not_its_requester_nor_a_manager_who_signed(
        relief: Disbursement, admin: User, manager: User, manager2: User,
        other_manager: User, staff_b: User) -> None:
    assert kinds(manager)[APPROVE] == 1 and kinds(manager2)[APPROVE] == 1
    assert APPROVE not in kinds(admin)  # the requester, though it may approve for the district
    assert APPROVE not in kinds(other_manager) and APPROVE not in kinds(staff_b)
    link = reverse("charity:disbursement_detail", args=[relief.pk])
    assert client_for(other_manager).get(link).status_code == 404  # nor can they open it
    home = client_for(manager).get("/").content.decode()
    assert f'data-kind="{APPROVE}"' in home and f'href="{link}"' in home
    assert f"#{relief.pk}" in home and "慈善纾困基金" in home
    # The item names the disbursement, never the person nor the free-text purpose.
    assert "张三丰" not in home and "失火" not in home and "1398765" not in home
    # The first signature on the page: gone for the signer, still waiting for the second.
    r = client_for(manager).post(reverse("charity:disbursement_act", args=[relief.pk, "approve"]),
                                 {"comment": ""})
    assert r.status_code == 302
    assert APPROVE not in kinds(manager) and kinds(manager2)[APPROVE] == 1
    assert PAY not in kinds(manager)  # not approved yet: nothing to pay
    # The second signature through the API closes it for everyone and opens the payment.
    api = client_for(manager2)
    assert api.post(f"/api/v1/charity/disbursements/{relief.pk}/approve", {"comment": ""},
                    content_type="application/json").status_code == 200
    assert api.get("/api/v1/me/work").json()["counts"] == {PAY: 1}
    for user in (admin, manager, manager2):
        assert kinds(user) == {PAY: 1}
    assert PAY not in kinds(other_manager) and PAY not in kinds(staff_b)
    # Paying it on the page closes the payment for all.
    r = client_for(admin).post(reverse("charity:disbursement_act", args=[relief.pk, "pay"]),
                               {"payment_ref": "PZ-2026-07"})
    assert r.status_code == 302
    for user in (admin, manager, manager2):
        assert kinds(user) == {}


def test_rejecting_through_the_api_closes_the_approval_and_cancelling_closes_the_payment(
        funded: Fund, admin: User, manager: User, manager2: User) -> None:
    def small(purpose: str) -> Disbursement:
        return services.disbursement_request(
            actor=admin, fund=funded, amount="500", purpose=purpose, beneficiary_kind="project",
            project_id=7, beneficiary_label="困境儿童关爱项目")

    rejected, cancelled = small("关爱慰问一"), small("关爱慰问二")
    assert kinds(manager)[APPROVE] == 2
    api = client_for(manager)
    assert api.post(f"/api/v1/charity/disbursements/{rejected.pk}/reject",
                    {"reason": "材料不全"}, content_type="application/json").status_code == 200
    assert kinds(manager)[APPROVE] == 1 and kinds(manager2)[APPROVE] == 1
    services.disbursement_approve(actor=manager2, disbursement=cancelled)
    assert kinds(manager) == {PAY: 1}
    work = api.get("/api/v1/me/work").json()
    item: dict[str, Any] = work["items"][0]
    assert item["kind"] == PAY and item["due"] is None and f"#{cancelled.pk}" in item["title"]
    assert "关爱慰问" not in item["title"]
    assert item["link"] == reverse("charity:disbursement_detail", args=[cancelled.pk])
    assert api.post(f"/api/v1/charity/disbursements/{cancelled.pk}/cancel",
                    {"reason": "受助人已获其他救助"}, content_type="application/json").status_code == 200
    assert kinds(manager) == {} and kinds(admin) == {}


def test_an_account_without_charity_rights_costs_no_query(staff_b: User,
                                                          django_assert_num_queries: Any) -> None:
    from wushe.charity.work import disbursements_to_approve, disbursements_to_pay

    kinds(staff_b)  # grants cached on the account
    with django_assert_num_queries(0):
        assert disbursements_to_approve(staff_b).query.is_empty()
        assert disbursements_to_pay(staff_b).query.is_empty()


def test_a_needs_fund_request_waits_for_the_funds_managers_and_approving_closes_the_loop(
        funded: Fund, staff_a: User, community_a: Region, manager: User) -> None:
    from wushe.needs import services as needs

    done = needs.need_submit_public(category="temporary_relief", description="家中突发困难,急需帮助",
                                    community=community_a.code, contact_name="王小明",
                                    contact_phone="13912345678", consent=True)
    need = needs.need_dispatch(actor=staff_a, need=needs.need_accept(actor=staff_a, need=done.need),
                               assignments=[needs.AssignmentSpec("fund", str(funded.pk), "lead",
                                                                 "800")])
    d = Disbursement.objects.unscoped().get(need_id=need.pk)
    # The dispatcher requested it (and cannot approve for the fund): the fund's managers do.
    assert APPROVE not in kinds(staff_a)
    before = kinds(manager)
    # One item for one action: the request to approve, not also the assignment it takes.
    assert before[APPROVE] == 1 and "needs.assignment.take" not in before
    home = client_for(manager).get("/").content.decode()
    assert "王小明" not in home and "13912345678" not in home
    assert client_for(manager).post(f"/api/v1/charity/disbursements/{d.pk}/approve",
                                    {"comment": ""}, content_type="application/json"
                                    ).status_code == 200
    # Approving took the fund's assignment too: the item closes; the payment opens.
    assert kinds(manager) == {PAY: 1}


def test_each_producer_counts_in_one_query(relief: Disbursement, manager: User, admin: User,
                                           django_assert_num_queries: Any) -> None:
    from wushe.charity.work import disbursements_to_approve, disbursements_to_pay

    for user, expected in ((manager, 1), (admin, 0)):
        kinds(user)  # grants cached on the account
        with django_assert_num_queries(2):
            assert disbursements_to_approve(user).order_by().count() == expected
            assert disbursements_to_pay(user).order_by().count() == 0
