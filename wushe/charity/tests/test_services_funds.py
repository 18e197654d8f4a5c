"""Funds: creation, eligibility fields, committee rules of community funds, status changes."""

from __future__ import annotations

import pytest

from wushe.audit.models import AuditEvent
from wushe.charity import services
from wushe.charity.models import CommitteeMember, Fund, LedgerAccount
from wushe.charity.tests.conftest import seat_committee
from wushe.core.errors import (
    Conflict,
    IllegalTransition,
    NotFound,
    PermissionDenied,
    ValidationFailed,
)
from wushe.regions.services import rule_set


def test_create_opens_accounts_and_audits(admin, district):
    fund = services.fund_create(actor=admin, region=district, name="未成年人保护专项基金",
                                kind="special", parent_org_name="区慈善会",
                                target_groups=["minor"], need_categories="助学、心理疏导",
                                cap_per_case="3000")
    assert fund.status == "draft" and fund.region_path == "500107"
    assert fund.need_categories == ["助学", "心理疏导"]
    assert str(fund.second_approval_above) == "20000.00"  # the rule's default
    codes = set(LedgerAccount.objects.unscoped().filter(fund=fund).values_list("code", flat=True))
    assert codes == {"cash", "goods", "income", "charitable", "management"}
    assert AuditEvent.objects.unscoped().filter(action="charity.fund.created",
                                                target_id=str(fund.pk)).exists()


@pytest.mark.parametrize("field,value", [
    ("name", "<script>x</script>"), ("cap_per_case", "-5"), ("cap_per_case", "abc"),
    ("target_groups", ["aliens"]), ("cap_per_case", "1.234"),
])
def test_bad_input_refused_and_nothing_written(admin, district, field, value):
    kwargs = {"name": "基金", "kind": "special", "parent_org_name": "区慈善会", field: value}
    with pytest.raises(ValidationFailed):
        services.fund_create(actor=admin, region=district, **kwargs)
    assert not Fund.objects.unscoped().exists()
    assert not AuditEvent.objects.unscoped().filter(action="charity.fund.created").exists()


def test_full_width_amount_is_normalised(admin, district):
    fund = services.fund_create(actor=admin, region=district, name="基金", kind="special",
                                parent_org_name="区慈善会", cap_per_case="５０００")
    assert str(fund.cap_per_case) == "5000.00"


def test_street_staff_cannot_create_outside_its_street(street_staff, street_b):
    with pytest.raises(NotFound):
        services.fund_create(actor=street_staff, region=street_b, name="黄桷坪阳光基金",
                             kind="community", parent_org_name="街道")


def test_community_fund_only_at_street_or_community(admin, district):
    with pytest.raises(ValidationFailed):
        services.fund_create(actor=admin, region=district, name="阳光基金", kind="community",
                             parent_org_name="区慈善会")


def test_one_community_fund_per_region(community_fund, street_staff, community_a):
    with pytest.raises(Conflict):
        services.fund_create(actor=street_staff, region=community_a, name="第二个阳光基金",
                             kind="community", parent_org_name="街道")


def test_community_fund_needs_a_compliant_committee_to_open(street_staff, admin, community_a):
    fund = services.fund_create(actor=street_staff, region=community_a, name="杨坪阳光基金",
                                kind="community", parent_org_name="街道慈善公益服务中心")
    seat_committee(street_staff, fund, n=4)
    with pytest.raises(ValidationFailed) as exc:
        services.fund_set_status(actor=admin, fund=fund, status="active")
    assert "至少需要 5 名" in exc.value.zh
    services.committee_member_add(actor=street_staff, fund=fund, name="赵磊", role="member")
    services.committee_member_add(actor=street_staff, fund=fund, name="孙丽", role="member")
    with pytest.raises(ValidationFailed) as exc:  # six: not an odd number
        services.fund_set_status(actor=admin, fund=fund, status="active")
    assert "单数" in exc.value.zh


def test_committee_needs_a_supervisor(street_staff, admin, community_a):
    fund = services.fund_create(actor=street_staff, region=community_a, name="杨坪阳光基金",
                                kind="community", parent_org_name="街道")
    seat_committee(street_staff, fund, n=5, supervisors=0)
    with pytest.raises(ValidationFailed, match="supervisor"):
        services.fund_set_status(actor=admin, fund=fund, status="active")


def test_committee_rules_are_local_rules(street_staff, admin, root, community_a):
    rule_set(actor=root, region=community_a, key="charity.committee_min_members", raw="3")
    fund = services.fund_create(actor=street_staff, region=community_a, name="杨坪阳光基金",
                                kind="community", parent_org_name="街道")
    seat_committee(street_staff, fund, n=3)
    assert services.fund_set_status(actor=admin, fund=fund, status="active").status == "active"


def test_active_committee_changes_must_stay_compliant(community_fund, street_staff):
    with pytest.raises(ValidationFailed):  # 6 members
        services.committee_member_add(actor=street_staff, fund=community_fund, name="孙丽",
                                      role="member")
    supervisor = CommitteeMember.objects.unscoped().get(fund=community_fund, role="supervisor")
    with pytest.raises(ValidationFailed):
        services.committee_member_remove(actor=street_staff, member=supervisor)
    # A re-election replaces the committee as a whole.
    new = [{"name": n, "role": r} for n, r in
           [("甲乙", "chair"), ("丙丁", "member"), ("戊己", "member"), ("庚辛", "member"),
            ("壬癸", "member"), ("子丑", "supervisor"), ("寅卯", "member")]]
    services.committee_set(actor=street_staff, fund=community_fund, members=new)
    assert CommitteeMember.objects.unscoped().filter(fund=community_fund, left_on=None).count() == 7
    assert CommitteeMember.objects.unscoped().filter(fund=community_fund).count() == 12


def test_status_transitions(special, admin, street_staff):
    with pytest.raises(IllegalTransition):
        services.fund_set_status(actor=admin, fund=special, status="draft")
    assert services.fund_set_status(actor=admin, fund=special, status="suspended").status == \
        "suspended"
    assert services.fund_set_status(actor=admin, fund=special, status="active").status == "active"


def test_street_staff_may_not_activate(street_staff, community_a):
    fund = services.fund_create(actor=street_staff, region=community_a, name="杨坪阳光基金",
                                kind="community", parent_org_name="街道")
    with pytest.raises(PermissionDenied):
        services.fund_set_status(actor=street_staff, fund=fund, status="active")


def test_fund_with_money_cannot_close(funded, admin):
    with pytest.raises(Conflict):
        services.fund_set_status(actor=admin, fund=funded, status="closed")


def test_update_records_a_diff(special, admin):
    services.fund_update(actor=admin, fund=special, purpose="新的用途", cap_per_case="6000")
    ev = AuditEvent.objects.unscoped().filter(action="charity.fund.updated").get()
    assert ev.data["cap_per_case"] == {"old": "5000.00", "new": "6000.00"}


def test_fund_manager_manages_only_its_fund(manager, special, district):
    services.fund_update(actor=manager, fund=special, purpose="由基金管理人更新")
    with pytest.raises(NotFound):
        services.fund_create(actor=manager, region=district, name="新基金", kind="special",
                             parent_org_name="区慈善会")
