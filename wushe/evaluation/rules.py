"""Local rules of the four-party evaluation (see wushe/regions/rules.py).

The party weights must sum to 100 and the grade bands must fall from excellent to pass: both
rules refuse any other value when a district admin sets it (``parse``), and scoring.py checks
the value in force again when it computes an evaluation (a Django setting could still hold a
bad value).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from wushe.core.errors import ValidationFailed
from wushe.regions import rules
from wushe.regions.rules import Rule

SEED = "种子文本:四方评估委员会(项目购买主体、所涉镇街、服务对象、第三方专家)"
LOCAL = "区社会工作服务项目四方评估办法,各地自定"


def check_weights(value: list[Any]) -> list[Decimal]:
    """Four party weights (purchaser, street, recipients, expert) summing to 100."""
    weights = [Decimal(str(v)) for v in value]
    if len(weights) != 4:
        raise ValidationFailed("四方权重须依次填写四个数(购买方、镇街、服务对象、第三方专家)",
                               "Give four party weights: purchaser, street, recipients, expert",
                               field="value", code="weights_invalid")
    if any(w < 0 for w in weights):
        raise ValidationFailed("四方权重不能为负数", "A party weight cannot be negative",
                               field="value", code="weights_invalid")
    total = sum(weights, Decimal(0))
    if total != 100:
        raise ValidationFailed(f"四方权重之和须为100,当前为{total}",
                               f"The party weights must sum to 100 (they sum to {total})",
                               field="value", code="weights_invalid")
    return weights


def check_bands(value: list[Any]) -> list[Decimal]:
    """Lowest totals for excellent, good and pass: three falling numbers within 0–100."""
    bands = [Decimal(str(v)) for v in value]
    if len(bands) != 3 or not 100 >= bands[0] > bands[1] > bands[2] >= 0:
        raise ValidationFailed("等级分数线须为三个递减的数(优秀、良好、合格),均在0–100之间",
                               "Grade bands are three falling numbers (excellent, good, pass) "
                               "within 0–100", field="value", code="bands_invalid")
    return bands


def check_source_weights(value: list[Any]) -> list[Decimal]:
    weights = [Decimal(str(v)) for v in value]
    if len(weights) != 3 or any(w < 0 for w in weights) or not sum(weights):
        raise ValidationFailed("服务对象评分来源权重须为三个非负数(需求评价、问卷、服务对象代表),且不全为0",
                               "Give three non-negative recipient source weights (need ratings, "
                               "survey, recipient members), not all zero",
                               field="value", code="weights_invalid")
    return weights


class CheckedListRule(Rule):
    """A list rule whose value as a whole must pass its check in ``CHECKS`` (by key)."""

    def parse(self, raw: Any) -> Any:
        value = super().parse(raw)
        CHECKS[self.key](value)
        return value


PARTY_WEIGHTS = rules.define(CheckedListRule(
    key="evaluation.party_weights", doc="four-party-evaluation", unit="percent", default=[30, 20, 20, 30], kind="decimal_list",
    zh="四方评估权重(购买方、镇街、服务对象、第三方专家,合计100)",
    en="Party weights: purchaser, street, recipients, expert (sum 100)",
    source=SEED + ";权重" + LOCAL, setting="WUSHE_EVALUATION_PARTY_WEIGHTS",
    minimum=Decimal(0), maximum=Decimal(100)))
GRADE_BANDS = rules.define(CheckedListRule(
    key="evaluation.grade_bands", doc="four-party-evaluation", unit="points", default=[90, 80, 60], kind="decimal_list",
    zh="评估等级分数线(优秀、良好、合格)", en="Lowest total for excellent, good, pass",
    source=LOCAL + ":90分以上为优秀、80分以上为良好、60分以上为合格",
    setting="WUSHE_EVALUATION_GRADE_BANDS", minimum=Decimal(0), maximum=Decimal(100)))
RECIPIENT_SOURCES = rules.define(CheckedListRule(
    key="evaluation.recipient_source_weights", doc="four-party-evaluation", unit="percent", default=[40, 30, 30], kind="decimal_list",
    zh="服务对象评分来源权重(需求评价、匿名问卷、服务对象代表)",
    en="Recipients' score sources: need ratings, anonymous survey, recipient members",
    source=LOCAL, setting="WUSHE_EVALUATION_RECIPIENT_SOURCE_WEIGHTS",
    minimum=Decimal(0), maximum=Decimal(100)))
MIN_RESPONSES = rules.define(Rule(
    key="evaluation.min_responses", doc="four-party-evaluation", default=3, kind="int",
    zh="需求评价或问卷计入评分的最少份数", en="Fewest need ratings or survey answers that count",
    source=LOCAL + ":样本过少不计入", setting="WUSHE_EVALUATION_MIN_RESPONSES",
    minimum=Decimal(1), maximum=Decimal(1000)))

CHECKS = {PARTY_WEIGHTS.key: check_weights, GRADE_BANDS.key: check_bands,
          RECIPIENT_SOURCES.key: check_source_weights}


def party_weights(region: Any) -> list[Decimal]:
    return check_weights(rules.value(PARTY_WEIGHTS.key, region))


def grade_bands(region: Any) -> list[Decimal]:
    return check_bands(rules.value(GRADE_BANDS.key, region))


def source_weights(region: Any) -> list[Decimal]:
    return check_source_weights(rules.value(RECIPIENT_SOURCES.key, region))


def min_responses(region: Any) -> int:
    return int(rules.value(MIN_RESPONSES.key, region))
