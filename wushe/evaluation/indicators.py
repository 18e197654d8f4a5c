"""The default indicator sheet: reference data the data migration writes, made again on
first use if its row was removed."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from wushe.evaluation.models import Dimension, Indicator, IndicatorSet

# The default sheet (total 100): the three dimensions the seed text names.
DEFAULT_SET = "四方评估通用指标(2024版)"
DEFAULT_INDICATORS: tuple[tuple[str, str, str, int], ...] = (
    (Dimension.PROCESS, "项目计划与执行进度", "Plan and progress", 15),
    (Dimension.PROCESS, "资金使用规范性", "Proper use of funds", 15),
    (Dimension.PROCESS, "人员配置与督导", "Staffing and supervision", 10),
    (Dimension.EFFECTIVENESS, "产出指标完成情况", "Output targets met", 20),
    (Dimension.EFFECTIVENESS, "服务对象改变与满意度", "Change and satisfaction of recipients", 15),
    (Dimension.BENEFIT, "社会影响与资源链接", "Social impact and resources leveraged", 15),
    (Dimension.BENEFIT, "可持续性与示范性", "Sustainability and example set", 10),
)


def default_indicator_set() -> IndicatorSet:
    """The default sheet; made on first use if the data migration's row was removed."""
    found = IndicatorSet.objects.filter(is_default=True).first()
    if found is not None:
        return found
    with transaction.atomic():
        made = IndicatorSet.objects.create(name=DEFAULT_SET, is_default=True)
        Indicator.objects.bulk_create(
            Indicator(indicator_set=made, dimension=d, name=zh, name_en=en,
                      max_score=Decimal(m), position=i)
            for i, (d, zh, en, m) in enumerate(DEFAULT_INDICATORS))
    return made
