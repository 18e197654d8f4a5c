"""Local rules of the volunteers app (see wushe.regions.rules)."""

from __future__ import annotations

from decimal import Decimal

from wushe.regions import rules
from wushe.regions.rules import Rule

STAR_THRESHOLDS = rules.define(Rule(
    key="volunteers.star_thresholds", doc="volunteer-registration", unit="hours",
    default=[100, 300, 600, 1000, 1500],
    kind="int_list",
    zh="星级志愿者认定时长(一至五星,小时)",
    en="Star volunteer thresholds (one to five stars, hours)",
    source="《中国注册志愿者管理办法》星级认证:累计志愿服务100/300/600/1000/1500小时",
    setting="WUSHE_VOLUNTEER_STAR_THRESHOLDS",
    minimum=Decimal(1),
    maximum=Decimal(100000),
))
