"""The check of a 6-digit SMS code, shared by the need's SMS subscription and a resident's
support of an idea (helpers of their services, inside the caller's transaction).

The row holds ``code_hash``, ``tries`` and ``expired()``. Expired: refused at once, no try
counted. Right: None, and the caller records the confirmation. Wrong: the try is counted and
recorded, and the refusal is returned for the caller to raise after its commit, so the wrong
try stays counted; the last allowed try returns the lock refusal.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.utils.crypto import constant_time_compare

from wushe.core.errors import ValidationFailed, WusheError
from wushe.core.ids import identifier_text

CODE_RE = re.compile(r"[0-9]{6}")


def check_code(row: Any, code_hash: str, *, valid_seconds: int, tries_max: int,
               record_wrong: Callable[[int], None],
               locked: Callable[[], WusheError]) -> WusheError | None:
    """None when ``code_hash`` (of the code given) is the row's; else the refusal to raise."""
    if row.expired():
        raise ValidationFailed(
            f"验证码已过期({valid_seconds // 60}分钟内有效),请重新获取",
            f"The code has expired (valid {valid_seconds // 60} minutes): ask for a new one",
            code="sms_code_expired", field="code")
    if constant_time_compare(row.code_hash, code_hash):
        return None
    row.tries += 1
    row.save(update_fields=["tries"])
    record_wrong(row.tries)
    left = tries_max - row.tries
    if left <= 0:
        return locked()
    return ValidationFailed(f"验证码不正确,还可尝试{left}次", f"Wrong code: {left} tries left",
                            code="sms_code_wrong", field="code")


def clean_sms_code(raw: object) -> str:
    """Six ASCII (or full-width) digits; anything else is refused before any lookup."""
    text = identifier_text(raw, what_zh="验证码", what_en="code", field="code").replace(" ", "")
    if not CODE_RE.fullmatch(text):
        raise ValidationFailed("验证码应为6位数字", "The code has 6 digits",
                               code="sms_code_format", field="code")
    return text
