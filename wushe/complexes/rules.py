"""Local rule of the complexes app: the share of a complex's profit that goes back to the
community (收益反哺社区). A complex may carry its own share (its operating agreement)."""

from __future__ import annotations

from decimal import Decimal

from wushe.regions import rules
from wushe.regions.rules import Rule

REINVEST_PERCENT = rules.define(Rule(
    key="complexes.reinvest_percent", doc="five-society-plan", unit="percent", default=Decimal("10"), kind="decimal",
    zh="综合体收益反哺社区比例(%)", en="Share of a complex's profit reinvested in the community (%)",
    source="九龙坡区社区综合体运营协议:长效微利运转、收益反哺社区(比例由各地约定)",
    setting="WUSHE_COMPLEXES_REINVEST_PERCENT", minimum=Decimal(0), maximum=Decimal(100)))
