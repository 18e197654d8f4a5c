"""Yuan amounts from forms, the API and Excel: Decimal, two places, positive, not absurd."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from wushe.core.errors import ValidationFailed
from wushe.core.ids import identifier_text

# No single donation, disbursement, budget or contract is this large; a typo with extra zeros
# is refused.
MAX_AMOUNT = Decimal("10000000000")  # 100 亿元


def parse_money(raw: Any, *, field: str = "amount", label_zh: str = "金额",
                label_en: str = "Amount", allow_zero: bool = False) -> Decimal:
    """A yuan amount: Decimal, at most two decimals, positive and not absurd."""
    if isinstance(raw, float):
        # Floats cannot hold yuan exactly; the API and forms send text or Decimal.
        raw = repr(raw)
    text = str(raw if raw is not None else "").strip().removeprefix("¥").removeprefix("￥")
    text = text.removesuffix("元")
    # Full-width digits are folded; Arabic-Indic or Devanagari digits (which Decimal() would
    # accept) and invisible characters are refused, as for every identifier.
    text = identifier_text(text, what_zh=label_zh, what_en=label_en.lower(), field=field)
    text = text.replace(",", "").removeprefix("¥").strip()
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValidationFailed(f"{label_zh}不是有效的数字", f"{label_en} is not a valid number",
                               code="invalid_amount", field=field) from None
    if not value.is_finite():
        raise ValidationFailed(f"{label_zh}不是有效的数字", f"{label_en} is not a valid number",
                               code="invalid_amount", field=field)
    if value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationFailed(f"{label_zh}最多保留两位小数(到分)",
                               f"{label_en} may have at most two decimal places",
                               code="invalid_amount", field=field)
    if value < 0 or (value == 0 and not allow_zero):
        raise ValidationFailed(f"{label_zh}必须大于零", f"{label_en} must be greater than zero",
                               code="invalid_amount", field=field)
    if value > MAX_AMOUNT:
        raise ValidationFailed(f"{label_zh}过大,请核对", f"{label_en} is implausibly large; check it",
                               code="invalid_amount", field=field)
    return value.quantize(Decimal("0.01"))
