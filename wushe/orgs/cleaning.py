"""Input cleaning the organisation and workforce services share: bounded text without markup,
dates that are not in the future, money that is neither negative nor absurd."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, overload

from wushe.core.dates import read_day
from wushe.core.errors import ValidationFailed
from wushe.core.ids import identifier_text, to_half_width
from wushe.core.text import clean_text

MAX_MONEY = Decimal("1000000000")  # a billion yuan: beyond that it is a typo


def text(value: object, field: str, zh: str, en: str, max_length: int,
         required: bool = False) -> str:
    return clean_text(to_half_width(str(value)) if value is not None else None, field=field,
                      label_zh=zh, label_en=en, max_length=max_length, required=required)


# A required value is never None (it raises instead): the overloads say so to the type checker.
@overload
def date(value: object, field: str, zh: str, en: str, *, required: Literal[True],
         not_future: bool = True, today: dt.date | None = None) -> dt.date: ...
@overload
def date(value: object, field: str, zh: str, en: str, *, required: bool = False,
         not_future: bool = True, today: dt.date | None = None) -> dt.date | None: ...
def date(value: object, field: str, zh: str, en: str, *, required: bool = False,
         not_future: bool = True, today: dt.date | None = None) -> dt.date | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(f"请填写{zh}", f"{en} is required", code="required", field=field)
        return None
    try:
        day = read_day(value)
    except ValueError:
        day = None
    if day is None:
        raise ValidationFailed(f"{zh}不是有效日期(格式:2024-05-01)",
                               f"{en} is not a valid date (format 2024-05-01)",
                               code="date_format", field=field)
    if day.year < 1949:
        raise ValidationFailed(f"{zh}过早", f"{en} is too early", code="date_range", field=field)
    if not_future and day > (today or dt.date.today()):
        raise ValidationFailed(f"{zh}不能晚于今天", f"{en} cannot be in the future",
                               code="date_future", field=field)
    return day


@overload
def decimal(value: object, field: str, zh: str, en: str, *, minimum: Decimal,
            maximum: Decimal, places: int = 2, required: Literal[True]) -> Decimal: ...
@overload
def decimal(value: object, field: str, zh: str, en: str, *, minimum: Decimal,
            maximum: Decimal, places: int = 2, required: bool = False) -> Decimal | None: ...
def decimal(value: object, field: str, zh: str, en: str, *, minimum: Decimal,
            maximum: Decimal, places: int = 2, required: bool = False) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationFailed(f"请填写{zh}", f"{en} is required", code="required", field=field)
        return None
    if isinstance(value, float):
        value = repr(value)  # 12.3 typed in Excel; repr keeps what the user saw
    try:
        number = Decimal(identifier_text(value, what_zh=zh, what_en=en.lower(), field=field)
                         .replace(",", ""))
    except InvalidOperation:
        raise ValidationFailed(f"{zh}不是有效数字", f"{en} is not a number", code="number",
                               field=field) from None
    if not number.is_finite() or number < minimum or number > maximum:
        raise ValidationFailed(f"{zh}须在{minimum}至{maximum}之间",
                               f"{en} must lie between {minimum} and {maximum}",
                               code="number_range", field=field)
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        raise ValidationFailed(f"{zh}最多保留{places}位小数",
                               f"{en} has at most {places} decimal places",
                               code="number_places", field=field)
    return number.quantize(quantum)


def money(value: object, field: str = "funds", zh: str = "活动资金", en: str = "Funds",
          required: bool = False) -> Decimal | None:
    return decimal(value, field, zh, en, minimum=Decimal(0), maximum=MAX_MONEY,
                   required=required)


@overload
def integer(value: object, field: str, zh: str, en: str, *, minimum: int, maximum: int,
            required: Literal[True]) -> int: ...
@overload
def integer(value: object, field: str, zh: str, en: str, *, minimum: int, maximum: int,
            required: bool = False) -> int | None: ...
def integer(value: object, field: str, zh: str, en: str, *, minimum: int, maximum: int,
            required: bool = False) -> int | None:
    number = decimal(value, field, zh, en, minimum=Decimal(minimum), maximum=Decimal(maximum),
                     places=0, required=required)
    return None if number is None else int(number)


def choice(value: object, choices: Any, field: str, zh: str, en: str, *,
           required: bool = True) -> str:
    """A TextChoices value, by value or by its (Chinese or English) label."""
    raw = to_half_width(str(value or "")).strip()
    if not raw:
        if required:
            raise ValidationFailed(f"请选择{zh}", f"{en} is required", code="required", field=field)
        return ""
    if raw in choices.values:
        return raw
    for member in choices:
        label = str(member.label)
        if raw in (label, label.split(" (")[0]) or f"({raw})" in label:
            return str(member.value)
    raise ValidationFailed(f"{zh}“{raw}”无效", f"{en} {raw!r} is not valid", code="choice",
                           field=field)
