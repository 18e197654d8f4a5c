"""Disbursements: request, approval rules, payment within the balance, reversal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wushe.audit.models import AuditEvent
from wushe.charity import selectors, services
from wushe.charity.models import Disbursement, LedgerAccount, LedgerEntry
from wushe.core.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from wushe.people.services import person_create


def cash(fund) -> Decimal:
    return LedgerAccount.objects.unscoped().get(fund=fund, code="cash").balance


@pytest.fixture
def person(staff_a, community_a):
    return person_create(actor=staff_a, region=community_a, name="张三丰")


def request(actor, fund, amount="800", **kw):
    kw.setdefault("beneficiary_kind", "project")
    if kw["beneficiary_kind"] == "project":
        kw.setdefault("project_id", 7)
        kw.setdefault("beneficiary_label", "困境儿童关爱项目")
    return services.disbursement_request(actor=actor, fund=fund, amount=amount,
                                         purpose=kw.pop("purpose", "关爱慰问"), **kw)


def test_request_approve_pay(funded, admin, manager):
    d = request(admin, funded, "800")
    assert d.status == "requested" and d.approvals_required == 1
    d = services.disbursement_approve(actor=manager, disbursement=d, comment="同意")
    assert d.status == "approved"
    d = services.disbursement_pay(actor=admin, disbursement=d, payment_ref="PZ-2026-01")
    assert d.status == "paid" and d.entry.kind == "disbursement"
    assert cash(funded) == Decimal("9200.00")
    charitable = LedgerAccount.objects.unscoped().get(fund=funded, code="charitable")
    assert charitable.balance == Decimal("800.00")
    actions = list(AuditEvent.objects.unscoped().filter(action__startswith="charity.disbursement")
                   .order_by("id").values_list("action", flat=True))
    assert actions == ["charity.disbursement.requested", "charity.disbursement.approved",
                       "charity.disbursement.paid"]


def test_requester_cannot_approve(funded, manager, manager2):
    d = request(manager, funded)
    with pytest.raises(PermissionDenied):
        services.disbursement_approve(actor=manager, disbursement=d)
    assert services.disbursement_approve(actor=manager2, disbursement=d).status == "approved"


def test_above_threshold_needs_two_different_approvers(funded, admin, manager, manager2):
    d = request(admin, funded, "3000")  # the fund's threshold is 2000
    assert d.approvals_required == 2
    d = services.disbursement_approve(actor=manager, disbursement=d)
    assert d.status == "requested"
    with pytest.raises(Conflict):
        services.disbursement_approve(actor=manager, disbursement=d)
    with pytest.raises(IllegalTransition):
        services.disbursement_pay(actor=admin, disbursement=d)
    d = services.disbursement_approve(actor=manager2, disbursement=d)
    assert d.status == "approved"


def test_never_beyond_the_available_balance(funded, admin, manager, manager2):
    with pytest.raises(Conflict) as exc:
        request(admin, funded, "10000.01")
    assert exc.value.code == "insufficient_balance"
    first = request(admin, funded, "1900")
    second = request(admin, funded, "1900")
    services.disbursement_approve(actor=manager, disbursement=first)
    # Approved money is committed: the rest is what others may still request.
    assert selectors.available(
        {a.code: a for a in LedgerAccount.objects.unscoped().filter(fund=funded)},
        funded.pk, "cash") == Decimal("8100.00")
    with pytest.raises(Conflict):
        request(admin, funded, "8100.01")
    services.disbursement_approve(actor=manager, disbursement=second)
    assert cash(funded) == Decimal("10000.00")


def test_approval_refused_when_money_ran_out_meanwhile(funded, admin, manager, manager2):
    a = request(admin, funded, "1999")
    bs = [request(admin, funded, "1999") for _ in range(5)]
    services.disbursement_approve(actor=manager, disbursement=a)
    for b in bs[:4]:
        services.disbursement_approve(actor=manager, disbursement=b)
    with pytest.raises(Conflict):  # 5 × 1999 approved; 5 yuan left
        services.disbursement_approve(actor=manager, disbursement=bs[4])
    assert Disbursement.objects.unscoped().get(pk=bs[4].pk).status == "requested"


def test_cap_per_case_for_a_person(funded, admin, person):
    with pytest.raises(ValidationFailed) as exc:
        request(admin, funded, "5000.01", beneficiary_kind="person", person=person)
    assert exc.value.code == "above_cap"
    d = request(admin, funded, "5000", beneficiary_kind="person", person=person)
    assert d.beneficiary_region_id == person.region_id and d.beneficiary_count == 1


@pytest.mark.parametrize("kw", [
    {"beneficiary_kind": "person"},
    {"beneficiary_kind": "need", "need_id": "-3", "beneficiary_label": "助学"},
    {"beneficiary_kind": "need", "need_id": 4},
    {"beneficiary_kind": "project", "project_id": 3, "beneficiary_label": "联系 13912345678"},
    {"beneficiary_kind": "none"},
    {"beneficiary_kind": "project", "project_id": 3, "beneficiary_label": "项目",
     "beneficiary_count": 0},
    {"beneficiary_kind": "project", "project_id": 3, "beneficiary_label": "项目",
     "category": "management"},
])
def test_bad_beneficiary_refused(funded, admin, kw):
    with pytest.raises(ValidationFailed):
        request(admin, funded, **kw)
    assert not Disbursement.objects.unscoped().exists()


def test_management_cost_has_no_beneficiary(funded, admin, manager):
    d = request(admin, funded, "300", category="management", beneficiary_kind="none")
    services.disbursement_approve(actor=manager, disbursement=d)
    services.disbursement_pay(actor=admin, disbursement=d)
    assert LedgerAccount.objects.unscoped().get(fund=funded, code="management").balance == 300


def test_goods_are_disbursed_from_goods(special, enterprise, give, admin, manager):
    give(special, enterprise, "2000", kind="in_kind", goods_description="冬衣",
         valuation_basis="市场价")
    with pytest.raises(Conflict):  # no cash at all
        request(admin, special, "500")
    d = request(admin, special, "500", source="goods")
    services.disbursement_approve(actor=manager, disbursement=d)
    services.disbursement_pay(actor=admin, disbursement=d)
    assert LedgerAccount.objects.unscoped().get(fund=special, code="goods").balance == 1500


def test_reject_and_cancel(funded, admin, manager):
    d = request(admin, funded)
    with pytest.raises(ValidationFailed):
        services.disbursement_reject(actor=manager, disbursement=d, reason="")
    d = services.disbursement_reject(actor=manager, disbursement=d, reason="不符合救助条件")
    assert d.status == "rejected"
    with pytest.raises(IllegalTransition):
        services.disbursement_approve(actor=manager, disbursement=d)
    e = request(admin, funded)
    assert services.disbursement_cancel(actor=admin, disbursement=e, reason="重复申请").status == \
        "cancelled"


def test_paid_mistake_is_reversed_never_deleted(funded, admin, manager):
    d = request(admin, funded, "700")
    services.disbursement_approve(actor=manager, disbursement=d)
    services.disbursement_pay(actor=admin, disbursement=d)
    d = services.disbursement_reverse(actor=admin, disbursement=d, reason="银行退票")
    assert d.status == "reversed" and cash(funded) == Decimal("10000.00")
    assert LedgerEntry.objects.unscoped().filter(kind="reversal").count() == 1
    with pytest.raises(IllegalTransition):
        services.disbursement_reverse(actor=admin, disbursement=d, reason="再次")


def test_street_staff_requests_but_cannot_approve(community_fund, street_staff, admin,
                                                  enterprise, give):
    give(community_fund, enterprise, "5000")
    d = request(street_staff, community_fund, "600")
    with pytest.raises(PermissionDenied):
        services.disbursement_approve(actor=street_staff, disbursement=d)
    assert services.disbursement_approve(actor=admin, disbursement=d).status == "approved"


def test_manager_of_another_fund_cannot_touch_this_one(funded, community_fund, manager,
                                                       street_staff, enterprise, give):
    give(community_fund, enterprise, "5000")
    d = request(street_staff, community_fund, "600")
    # The fund manager's district grant lets it see every fund, not act on them.
    with pytest.raises(PermissionDenied):
        services.disbursement_approve(actor=manager, disbursement=d)
    with pytest.raises(PermissionDenied):
        request(manager, community_fund, "100")


def test_outside_scope_is_not_found(community_fund, staff_b, make_user, street_b):
    outsider = make_user("street_staff", street_b)
    with pytest.raises(NotFound):
        request(outsider, community_fund)
