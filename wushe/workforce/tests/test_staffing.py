"""The staffing standard: the formula at the edges, local rules, street totals, scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wushe.regions.models import Region
from wushe.regions.rules import value as rule_value
from wushe.regions.services import region_create, region_update, rule_set
from wushe.workforce import selectors, staffing
from wushe.workforce.services import community_worker_create
from wushe.workforce.tests.conftest import community_worker_values


@pytest.mark.parametrize("population,required", [
    (0, 2), (1, 2), (1_111, 2), (1_112, 3), (10_000, 18), (10_001, 19), (5_556, 11),
    (5_555, 10), (1_000_000, 1800)])
def test_formula_at_the_edge_populations(population, required):
    assert staffing.required_workers(population, Decimal("18"), 2) == required


def test_formula_is_exact_with_fractional_ratios():
    # In floats 10,000 × 0.07 is 700.0000000000001, whose ceiling is one too many.
    assert staffing.required_workers(100_000_000, Decimal("0.07"), 0) == 700
    assert staffing.required_workers(10_000, Decimal("18.3"), 2) == 19
    assert staffing.required_workers(30_000, Decimal("0.1"), 0) == 1
    assert staffing.required_workers(100_000, Decimal("0.3"), 0) == 3
    assert staffing.required_workers(1_112, Decimal("18"), 5) == 5
    with pytest.raises(ValueError):
        staffing.required_workers(-1, Decimal("18"), 2)


def test_rule_resolver_agrees_with_the_rules_module(ow):
    admin = ow.users["admin"]
    rule_set(actor=admin, region=ow.street, key="workforce.staffing_ratio", raw="20")
    rule_set(actor=admin, region=ow.community_b, key="workforce.staffing_floor", raw="4")
    resolve = staffing.rule_resolver([staffing.RATIO, staffing.FLOOR])
    for region in (ow.community_a, ow.community_b, ow.community_c, ow.street, ow.district):
        for key in (staffing.RATIO, staffing.FLOOR):
            assert resolve(key, region.path) == rule_value(key, region), (key, region.code)


def test_report_counts_active_workers_against_required(ow, persons):
    admin = ow.users["admin"]
    region_update(actor=admin, region=ow.community_b, population=100)
    for key in ("a1", "a2"):
        community_worker_create(actor=admin, person=persons[key], community=ow.community_a,
                                **community_worker_values())
    community_worker_create(actor=admin, person=persons["a3"], community=ow.community_b,
                            **community_worker_values(status="left"))
    report = selectors.staffing_report(actor=admin)
    by_code = {r.code: r for r in report.rows}
    a, b, c = by_code[ow.community_a.code], by_code[ow.community_b.code], by_code[ow.community_c.code]
    assert (a.population, a.required, a.actual, a.shortfall) == (8_000, 15, 2, 13)
    assert (b.required, b.actual, b.shortfall) == (2, 0, 2)  # a worker who left does not count
    assert (c.required, c.actual) == (3, 0)
    street = next(s for s in report.streets if s.code == ow.street.code)
    # A street needs the sum of what its communities need, not ceil(street population).
    assert street.required == 15 + 2
    assert street.required > staffing.required_workers(8_000 + 100, Decimal(18), 2)
    assert (street.actual, street.shortfall, street.short_communities) == (2, 15, 2)
    assert report.totals.required == 15 + 2 + 3
    assert [r.code for r in report.shortfall_rows] == [a.code, b.code, c.code]


def test_local_ratio_and_floor_change_the_requirement(ow):
    admin = ow.users["admin"]
    rule_set(actor=admin, region=ow.street_b, key="workforce.staffing_ratio", raw="9")
    rule_set(actor=admin, region=ow.community_a, key="workforce.staffing_floor", raw="20")
    rows = {r.code: r for r in selectors.staffing_report(actor=admin).rows}
    assert rows[ow.community_c.code].required == 2  # ceil(1,112 × 9 / 10,000) = 2
    assert rows[ow.community_a.code].required == 20
    assert rows[ow.community_b.code].required == 11


def test_report_is_scoped(ow):
    street = selectors.staffing_report(actor=ow.users["street"])
    assert {r.code for r in street.rows} == {ow.community_a.code, ow.community_b.code}
    staff = selectors.staffing_report(actor=ow.users["staff_a"])
    assert [r.code for r in staff.rows] == [ow.community_a.code]
    assert selectors.staffing_report(actor=ow.users["org_staff"]).rows == []
    assert selectors.staffing_report(actor=ow.users["volunteer"]).rows == []


def test_villages_and_empty_communities_count(ow):
    village = region_create(actor=ow.root, code="500107002201", name="新村", kind="village",
                            parent=ow.street_b, population=0)
    rows = {r.code: r for r in staffing.figures(ow.district.path).rows}
    assert rows[village.code].required == 2
    assert Region.objects.unscoped().filter(level="community").count() == len(rows)
