"""Purchase lists, eligible providers, the recorded selection, contract terms and tranches."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wushe.core.errors import Conflict, NotFound, ValidationFailed
from wushe.orgs.models import OrgStatus, SocialOrganization
from wushe.projects import eligibility, services, terms
from wushe.projects.models import Contract, ContractTranche, Procurement, Status
from wushe.regions.models import RegionRule


def _set_rule(region, key, value):
    RegionRule.objects.unscoped().create(region=region, region_path=region.path, key=key,
                                         value=value)


def test_list_add_requires_matching_district_year_and_a_draft(pw):
    project = pw.design(year=2026)
    other_year = pw.plist(2027)
    with pytest.raises(ValidationFailed):
        services.project_list_add(actor=pw.admin, project=project, plist=other_year)
    services.project_list_add(actor=pw.admin, project=project, plist=pw.plist(2026))
    assert project.status == Status.LISTED and project.purchase_list == pw.plist(2026)
    services.purchase_list_publish(actor=pw.admin, plist=pw.plist(2026))
    late = pw.design(year=2026, name="晚到项目")
    with pytest.raises(Conflict):
        services.project_list_add(actor=pw.admin, project=late, plist=pw.plist(2026))
    with pytest.raises(Conflict):
        services.purchase_list_publish(actor=pw.admin, plist=pw.plist(2026))
    late.refresh_from_db()
    assert late.status == Status.DESIGNED


def test_empty_list_cannot_be_published_and_street_cannot_manage(pw):
    plist = pw.plist(2026)
    with pytest.raises(ValidationFailed):
        services.purchase_list_publish(actor=pw.admin, plist=plist)
    with pytest.raises(NotFound):
        services.purchase_list_create(actor=pw.users["street"], region=pw.district, year=2026,
                                      name="越权")
    with pytest.raises(Conflict):
        services.purchase_list_create(actor=pw.admin, region=pw.district, year=2026,
                                      name="第一批")


def test_selection_is_recorded_with_candidates(pw):
    project = pw.walk(pw.design(), Status.PROCURED)
    proc = Procurement.objects.unscoped().get(project=project)
    assert proc.selected == pw.orgs["a"] and project.provider == pw.orgs["a"]
    assert {c["id"] for c in proc.candidates} == {pw.orgs["a"].pk, pw.orgs["b"].pk}
    assert proc.method == "competitive_consultation" and proc.reason == "综合评分第一"


@pytest.mark.parametrize("status", [OrgStatus.ELIMINATED, OrgStatus.SUSPENDED,
                                    OrgStatus.INCUBATING])
def test_inactive_organisation_is_refused(pw, status, no_checks):
    SocialOrganization.objects.unscoped().filter(pk=pw.orgs["b"].pk).update(status=status)
    project = pw.walk(pw.design(), Status.LISTED)
    with pytest.raises(ValidationFailed) as exc:
        services.procurement_record(actor=pw.admin, project=project, method="single_source",
                                    candidate_ids=[pw.orgs["b"].pk], selected_id=pw.orgs["b"].pk,
                                    reason="原承接方")
    assert exc.value.code == "ineligible" and "不具备承接资格" in exc.value.zh
    project.refresh_from_db()
    assert project.status == Status.LISTED and project.provider_id is None
    assert not Procurement.objects.unscoped().filter(project=project).exists()


def test_check_hook_refuses_with_its_reason(pw, no_checks):
    def eliminated_last_cycle(org, year):
        if org.pk == pw.orgs["a"].pk and year == 2026:
            return ("上一周期评估被淘汰", "Eliminated in the previous cycle")
        return None

    no_checks.append(eliminated_last_cycle)
    project = pw.walk(pw.design(), Status.LISTED)
    verdicts = {v.org.pk: v for v in eligibility.judge(list(pw.orgs.values()), year=2026,
                                                       region_path=project.region_path)}
    assert not verdicts[pw.orgs["a"].pk].eligible and verdicts[pw.orgs["b"].pk].eligible
    with pytest.raises(ValidationFailed) as exc:
        services.procurement_record(actor=pw.admin, project=project, method="public_tender",
                                    candidate_ids=[pw.orgs["a"].pk, pw.orgs["b"].pk],
                                    selected_id=pw.orgs["a"].pk, reason="得分最高")
    assert "上一周期评估被淘汰" in exc.value.zh and "Eliminated" in exc.value.en
    services.procurement_record(actor=pw.admin, project=project, method="public_tender",
                                candidate_ids=[pw.orgs["a"].pk, pw.orgs["b"].pk],
                                selected_id=pw.orgs["b"].pk, reason="得分第二,第一名无资格")
    assert project.provider == pw.orgs["b"]


def test_minimum_rating_and_categories_are_local_rules(pw, no_checks):
    _set_rule(pw.district, "projects.min_rating", 3)
    verdict = eligibility.judge([pw.orgs["a"]], year=2026, region_path=pw.street.path)[0]
    assert not verdict.eligible and "3A" in verdict.reasons[0][0]
    RegionRule.objects.unscoped().filter(key="projects.min_rating").delete()
    _set_rule(pw.district, "projects.required_categories", "hub")
    verdict = eligibility.judge([pw.orgs["a"]], year=2026, region_path=pw.street.path)[0]
    assert not verdict.eligible


def test_single_source_has_one_candidate(pw):
    project = pw.walk(pw.design(), Status.LISTED)
    with pytest.raises(ValidationFailed):
        services.procurement_record(actor=pw.admin, project=project, method="single_source",
                                    candidate_ids=[pw.orgs["a"].pk, pw.orgs["b"].pk],
                                    selected_id=pw.orgs["a"].pk, reason="唯一")


def _sign(pw, project, start, end, stable=False, amount="90000", reason=""):
    return services.contract_sign(actor=pw.admin, project=project, amount=amount, start=start,
                                  end=end, stable=stable, over_budget_reason=reason)


@pytest.mark.parametrize(("start", "end", "stable", "ok"), [
    (dt.date(2026, 1, 1), dt.date(2026, 12, 31), False, True),   # exactly 12 months
    (dt.date(2026, 1, 1), dt.date(2027, 1, 1), False, False),    # one day over
    (dt.date(2026, 3, 15), dt.date(2027, 3, 14), False, True),
    (dt.date(2026, 3, 15), dt.date(2027, 3, 15), False, False),
    (dt.date(2026, 1, 1), dt.date(2027, 1, 1), True, True),      # stable may run longer
    (dt.date(2026, 1, 1), dt.date(2028, 12, 31), True, True),    # exactly 36 months
    (dt.date(2026, 1, 1), dt.date(2029, 1, 1), True, False),     # stable, one day over
    (dt.date(2026, 6, 1), dt.date(2026, 5, 31), False, False),   # ends before it starts
])
def test_contract_term_rules(pw, start, end, stable, ok):
    project = pw.walk(pw.design(), Status.PROCURED)
    if ok:
        contract = _sign(pw, project, start, end, stable)
        assert contract.stable == stable and project.status == Status.CONTRACTED
    else:
        with pytest.raises(ValidationFailed) as exc:
            _sign(pw, project, start, end, stable)
        assert exc.value.field == "end"
        project.refresh_from_db()
        assert project.status == Status.PROCURED
        assert not Contract.objects.unscoped().filter(project=project).exists()


def test_term_limit_is_a_rule(pw):
    _set_rule(pw.district, "projects.term_months", 6)
    project = pw.walk(pw.design(), Status.PROCURED)
    with pytest.raises(ValidationFailed) as exc:
        _sign(pw, project, dt.date(2026, 1, 1), dt.date(2026, 7, 1))
    assert "6个月" in exc.value.zh
    _sign(pw, project, dt.date(2026, 1, 1), dt.date(2026, 6, 30))


def test_tranches_follow_the_rule_and_sum_to_the_amount(pw):
    project = pw.walk(pw.design(budget="200000"), Status.PROCURED)
    _sign(pw, project, dt.date(2026, 1, 1), dt.date(2026, 12, 31), amount="100000.01")
    rows = list(ContractTranche.objects.unscoped().filter(contract__project=project)
                .values_list("seq", "percent", "amount", "gate"))
    assert rows == [(1, Decimal("30"), Decimal("30000.00"), ""),
                    (2, Decimal("40"), Decimal("40000.00"), "midterm"),
                    (3, Decimal("30"), Decimal("30000.01"), "final")]


def test_bad_tranche_rule_is_refused(pw):
    _set_rule(pw.district, "projects.tranche_percents", [30, 40, 20])
    project = pw.walk(pw.design(), Status.PROCURED)
    with pytest.raises(ValidationFailed) as exc:
        _sign(pw, project, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert exc.value.code == "bad_rule"
    project.refresh_from_db()
    assert project.status == Status.PROCURED
    RegionRule.objects.unscoped().filter(key="projects.tranche_percents").update(
        value=[50, 50])
    with pytest.raises(ValidationFailed):  # three gates for two tranches
        _sign(pw, project, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    _set_rule(pw.district, "projects.tranche_gates", "signing,final")
    _sign(pw, project, dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [t.gate for t in ContractTranche.objects.unscoped()
            .filter(contract__project=project)] == ["", "final"]


def test_amount_above_budget_needs_a_reason(pw):
    project = pw.walk(pw.design(budget="100000"), Status.PROCURED)
    with pytest.raises(ValidationFailed) as exc:
        _sign(pw, project, dt.date(2026, 1, 1), dt.date(2026, 12, 31), amount="100000.01")
    assert exc.value.field == "amount"
    contract = _sign(pw, project, dt.date(2026, 1, 1), dt.date(2026, 12, 31),
                     amount="110000", reason="服务人数增加")
    assert contract.amount == Decimal("110000.00")


def test_split_rounds_to_the_cent():
    rule = [terms.TrancheRule(Decimal(1) / 3 * 100, "")]  # not used as a rule, just the split
    assert sum(terms.split(Decimal("100.00"), [terms.TrancheRule(Decimal(30), ""),
                                                terms.TrancheRule(Decimal(70), "final")])) \
        == Decimal("100.00")
    assert rule
