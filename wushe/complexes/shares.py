"""The reinvested share of a complex's profit: the figures a revenue report is decided on,
read by the approval service, the complex's page and the demo."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from wushe.complexes import rules
from wushe.complexes.models import Complex
from wushe.regions import rules as region_rules

CENT = Decimal("0.01")


def share_of(profit: Decimal, percent: Decimal) -> Decimal:
    """The reinvested share of a profit: percent of it, to the fen (half up); none on a loss."""
    if profit <= 0 or percent <= 0:
        return Decimal("0.00")
    return (profit * percent / Decimal(100)).quantize(CENT, rounding=ROUND_HALF_UP)


def share_percent(complex_: Complex) -> Decimal:
    """The complex's own share if its agreement sets one, else the local rule for its community."""
    if complex_.share_percent is not None:
        return Decimal(complex_.share_percent)
    return Decimal(str(region_rules.value(rules.REINVEST_PERCENT.key, complex_.region_path)))
