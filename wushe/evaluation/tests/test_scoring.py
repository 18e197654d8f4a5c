"""The arithmetic of the four-party evaluation: weights, bands, sheets, sources."""

from __future__ import annotations

from decimal import Decimal

import pytest

from wushe.core.errors import ValidationFailed
from wushe.evaluation import rules, scoring
from wushe.evaluation.models import Decision, Grade
from wushe.regions.services import rule_set

D = Decimal
BANDS = [D(90), D(80), D(60)]


@pytest.mark.parametrize(("total", "grade"), [
    ("59.99", Grade.FAIL), ("60", Grade.PASS), ("60.00", Grade.PASS), ("79.99", Grade.PASS),
    ("80", Grade.GOOD), ("89.99", Grade.GOOD), ("90", Grade.EXCELLENT),
    ("100", Grade.EXCELLENT), ("0", Grade.FAIL),
])
def test_grade_bands_at_every_boundary(total: str, grade: str) -> None:
    assert scoring.grade_for(D(total), BANDS) == grade


@pytest.mark.parametrize(("grade", "decision"), [
    (Grade.EXCELLENT, Decision.RENEW), (Grade.GOOD, Decision.RENEW),
    (Grade.PASS, Decision.RECTIFY), (Grade.FAIL, Decision.ELIMINATE),
])
def test_suggested_decision_follows_the_grade(grade: str, decision: str) -> None:
    assert scoring.DECISION_BY_GRADE[grade] == decision


@pytest.mark.parametrize("weights", [[30, 20, 20, 20], [30, 20, 20, 31], [50, 50, 0],
                                     [30, 20, 20, 30, 0], [-10, 40, 40, 30]])
def test_weights_not_summing_to_100_are_refused(weights: list[int]) -> None:
    with pytest.raises(ValidationFailed) as exc:
        rules.check_weights(weights)
    assert exc.value.code == "weights_invalid" and exc.value.zh and exc.value.en


def test_weights_summing_to_100_pass_also_as_decimals() -> None:
    assert rules.check_weights(["25.5", "24.5", 20, 30]) == [D("25.5"), D("24.5"), 20, 30]


def test_the_rule_refuses_weights_not_summing_to_100(ew) -> None:
    with pytest.raises(ValidationFailed) as exc:
        rule_set(actor=ew.users["admin"], region=ew.district, key="evaluation.party_weights",
                 raw="30,30,30,30")
    assert "100" in exc.value.zh and "100" in exc.value.en
    done = rule_set(actor=ew.users["admin"], region=ew.district,
                    key="evaluation.party_weights", raw="40,20,20,20")
    assert done.value == ["40", "20", "20", "20"]
    assert rules.party_weights(ew.community_a.path) == [40, 20, 20, 20]


def test_bands_must_fall(ew) -> None:
    with pytest.raises(ValidationFailed):
        rule_set(actor=ew.users["admin"], region=ew.district, key="evaluation.grade_bands",
                 raw="80,90,60")


def test_weighted_total_and_rounding() -> None:
    scores = {"purchaser": D("90"), "street": D("80"), "recipients": D("70"), "expert": D("85.55")}
    # 0.3·90 + 0.2·80 + 0.2·70 + 0.3·85.55 = 27 + 16 + 14 + 25.665 = 82.665 → 82.67
    assert scoring.weighted_total(scores, [D(30), D(20), D(20), D(30)]) == D("82.67")
    with pytest.raises(ValidationFailed):
        scoring.weighted_total(scores, [D(30), D(20), D(20), D(20)])


def test_sheet_total_normalises_to_100() -> None:
    assert scoring.sheet_total([(D(15), D(15)), (D(5), D(10))]) == D("80.00")
    assert scoring.sheet_total([(D("7.5"), D(10)), (D(0), D(10))]) == D("37.50")


def test_five_point_answers_map_to_0_100() -> None:
    assert [scoring.five_to_hundred(D(x)) for x in (1, 3, 5)] == [0, 50, 100]
    assert scoring.five_to_hundred(D("4.5")) == D("87.50")


def test_recipient_sources_combine_with_rescaled_weights() -> None:
    weights = [D(40), D(30), D(30)]
    both, detail = scoring.combine_sources(
        {"ratings": (D(80), 5), "survey": (D(60), 3), "members": (None, 0)}, weights, 3)
    # (40·80 + 30·60) / 70 = 71.43
    assert both == D("71.43") and detail["members"]["counted"] is False
    few, detail = scoring.combine_sources(
        {"ratings": (D(80), 2), "survey": (None, 0), "members": (D(50), 1)}, weights, 3)
    assert few == D(50) and detail["ratings"]["counted"] is False
    none, _ = scoring.combine_sources({"ratings": (None, 0)}, weights, 3)
    assert none is None
