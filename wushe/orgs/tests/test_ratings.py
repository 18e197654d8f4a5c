"""Ratings: grade cut-offs, eligibility (two full years, exclusions), five-year validity."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from wushe.core.errors import NotFound, PermissionDenied, ValidationFailed
from wushe.orgs import ratings
from wushe.orgs.models import Rating
from wushe.orgs.ratings import check_eligibility
from wushe.orgs.services import org_transition, rating_award
from wushe.orgs.stats import org_figures
from wushe.orgs.tests.factories import registered
from wushe.regions.services import rule_set

CUTS = [600, 700, 800, 900, 950]


def test_add_years_and_validity_at_the_edges():
    assert ratings.add_years(dt.date(2020, 5, 31), 2) == dt.date(2022, 5, 31)
    # 29 February: the full year is over on 1 March of a common year.
    assert ratings.add_years(dt.date(2020, 2, 29), 2) == dt.date(2022, 3, 1)
    assert ratings.add_years(dt.date(2020, 2, 29), 4) == dt.date(2024, 2, 29)
    assert ratings.validity_end(dt.date(2024, 1, 1), 5) == dt.date(2028, 12, 31)
    assert ratings.validity_end(dt.date(2024, 2, 29), 5) == dt.date(2029, 2, 28)


@pytest.mark.parametrize("score,grade", [("600", 1), ("699.9", 1), ("700", 2), ("899.9", 3),
                                         ("900", 4), ("949.9", 4), ("950", 5), ("1000", 5)])
def test_grade_from_the_cutoffs(score, grade):
    assert ratings.grade_for_score(Decimal(score), CUTS) == grade


@pytest.mark.parametrize("score", ["599.9", "0", "-1", "1000.1"])
def test_scores_outside_the_grades_are_refused(score):
    with pytest.raises(ValidationFailed):
        ratings.grade_for_score(Decimal(score), CUTS)


def test_two_full_years_registered(ow):
    admin = ow.users["admin"]
    org = registered(admin, ow.street, "新登记组织", registered_on=dt.date(2022, 3, 15))
    assert not check_eligibility(org, dt.date(2024, 3, 14)).ok
    assert check_eligibility(org, dt.date(2024, 3, 14)).eligible_from == dt.date(2024, 3, 15)
    assert check_eligibility(org, dt.date(2024, 3, 15)).ok
    young = registered(admin, ow.street, "刚登记组织", registered_on=dt.date.today())
    with pytest.raises(ValidationFailed) as exc:
        rating_award(actor=admin, org=young, score="960")
    assert exc.value.code == "not_eligible"
    assert not Rating.objects.unscoped().filter(org=young).exists()


def test_filed_and_suspended_organisations_are_not_rated(ow):
    admin = ow.users["admin"]
    with pytest.raises(ValidationFailed):
        rating_award(actor=admin, org=ow.orgs["filed_a"], score="960")
    org = ow.orgs["a"]
    today = dt.date.today()
    org_transition(actor=admin, org=org, to="suspended", reason="年检不合格",
                   on=today - dt.timedelta(days=200))
    org_transition(actor=admin, org=org, to="registered", on=today - dt.timedelta(days=100))
    # Back in good standing, but suspended within the exclusion window (1 year).
    result = check_eligibility(org, today)
    assert not result.ok and "1" in result.reasons[0][1]
    assert check_eligibility(org, today + dt.timedelta(days=170)).ok


def test_exclusion_window_and_cutoffs_are_local_rules(ow):
    admin = ow.users["admin"]
    org = ow.orgs["a"]
    today = dt.date.today()
    org_transition(actor=admin, org=org, to="suspended", reason="x", on=today - dt.timedelta(days=30))
    org_transition(actor=admin, org=org, to="registered")
    rule_set(actor=admin, region=ow.street, key="orgs.rating_exclusion_years", raw="0")
    rule_set(actor=admin, region=ow.street, key="orgs.rating_cutoffs", raw="500,600,700,800,900")
    rating = rating_award(actor=admin, org=org, score="905")
    assert rating.grade == 5


def test_rating_is_valid_five_years_then_expires(ow):
    admin = ow.users["admin"]
    org = ow.orgs["a"]
    day = dt.date.today() - dt.timedelta(days=10)
    rating = rating_award(actor=admin, org=org, score="912.5", awarded_on=day)
    assert rating.grade == 4 and rating.label == "4A"
    assert rating.valid_until == ratings.validity_end(day, 5)
    assert rating.is_current(rating.valid_until)
    assert not rating.is_current(rating.valid_until + dt.timedelta(days=1))
    assert org_figures(ow.district.path)["orgs.by_rating.4A"] == 1
    # Expired: an old rating no longer counts.
    Rating.objects.unscoped().filter(pk=rating.pk).update(
        awarded_on=day - dt.timedelta(days=5 * 366), valid_until=dt.date.today() - dt.timedelta(days=1))
    assert org_figures(ow.district.path)["orgs.by_rating.4A"] == 0


def test_a_new_rating_replaces_the_current_one(ow):
    admin = ow.users["admin"]
    org = ow.orgs["a"]
    first = rating_award(actor=admin, org=org, score="820", awarded_on=dt.date.today() - dt.timedelta(days=400))
    second = rating_award(actor=admin, org=org, score="955")
    first.refresh_from_db()
    assert first.ended_reason == "superseded" and first.valid_until < second.awarded_on
    figures = org_figures(ow.district.path)
    assert (figures["orgs.by_rating.3A"], figures["orgs.by_rating.5A"]) == (0, 1)


def test_only_the_district_rates(ow):
    with pytest.raises(PermissionDenied):
        rating_award(actor=ow.users["street"], org=ow.orgs["a"], score="960")
    with pytest.raises(NotFound):
        rating_award(actor=ow.users["street_b"], org=ow.orgs["a"], score="960")
    with pytest.raises(PermissionDenied):
        rating_award(actor=ow.users["org_staff"], org=ow.orgs["a"], score="960")
