"""Input checks the charity services share: money, dates, keys, short texts."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from wushe.core.errors import ValidationFailed
from wushe.core.ids import to_half_width
from wushe.core.money import MAX_AMOUNT, parse_money  # noqa: F401  (re-exported)
from wushe.core.text import clean_text

# An ID number or a phone number has no place in a public label.
_LONG_DIGITS = re.compile(r"\d{7,}")
_KEY = re.compile(r"^[A-Za-z0-9_.:\-]{8,64}$")


def parse_date(raw: Any, *, field: str, label_zh: str, label_en: str,
               allow_future: bool = False, default_today: bool = True) -> dt.date:
    if raw in (None, "") and default_today:
        return timezone.localdate()
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if not isinstance(raw, dt.date):
        try:
            raw = dt.date.fromisoformat(to_half_width(str(raw)).strip())
        except ValueError:
            raise ValidationFailed(f"{label_zh}格式应为 年-月-日", f"{label_en} must be YYYY-MM-DD",
                                   code="invalid_date", field=field) from None
    if raw.year < 2000:
        raise ValidationFailed(f"{label_zh}过早,请核对", f"{label_en} is too early; check it",
                               code="invalid_date", field=field)
    if not allow_future and raw > timezone.localdate():
        raise ValidationFailed(f"{label_zh}不能晚于今天", f"{label_en} cannot be in the future",
                               code="invalid_date", field=field)
    return raw


def idempotency_key(raw: Any) -> str:
    key = str(raw or "").strip()
    if not _KEY.match(key):
        raise ValidationFailed("幂等键应为 8-64 位字母、数字或 _ . : -",
                               "The idempotency key must be 8-64 letters, digits or _ . : -",
                               code="invalid_idempotency_key", field="idempotency_key")
    return key


def short_text(raw: Any, *, field: str, label_zh: str, label_en: str, max_length: int,
               required: bool = False) -> str:
    return clean_text(raw, field=field, label_zh=label_zh, label_en=label_en,
                      max_length=max_length, required=required)


def public_label(raw: Any, *, field: str, label_zh: str, label_en: str) -> str:
    """Text that public pages show: no long digit runs (ID or phone numbers)."""
    text = short_text(raw, field=field, label_zh=label_zh, label_en=label_en, max_length=120,
                      required=True)
    if _LONG_DIGITS.search(to_half_width(text)):
        raise ValidationFailed(f"{label_zh}会公开显示,不能包含身份证号、电话等长串数字",
                               f"{label_en} is shown publicly and may not contain ID or phone numbers",
                               code="personal_data_in_public_text", field=field)
    return text
