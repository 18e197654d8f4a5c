"""Small helpers the volunteer services share: hours and times."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone

from wushe.core.errors import ValidationFailed
from wushe.core.ids import to_half_width
from wushe.volunteers.models import MAX_HOURS_PER_DAY

HOURS_QUANTUM = Decimal("0.01")


def clean_hours(raw: Any, *, field: str = "hours") -> Decimal:
    """Decimal hours, > 0 and at most a day; never a float's rounding error."""
    try:
        text = to_half_width(str(raw)).strip() if raw is not None else ""
        hours = Decimal(text)
    except (InvalidOperation, ValueError):
        raise ValidationFailed("服务时长须为数字(小时)", "Hours must be a number",
                               code="hours_format", field=field) from None
    if not hours.is_finite() or hours <= 0:
        raise ValidationFailed("服务时长须大于0", "Hours must be greater than 0",
                               code="hours_positive", field=field)
    if hours > MAX_HOURS_PER_DAY:
        raise ValidationFailed("服务时长不能超过24小时", "Hours may not exceed 24",
                               code="hours_too_many", field=field)
    if hours != hours.quantize(HOURS_QUANTUM):
        raise ValidationFailed("服务时长最多保留两位小数", "Hours have at most two decimal places",
                               code="hours_precision", field=field)
    return hours


def hours_between(start: dt.datetime, end: dt.datetime) -> Decimal:
    """The length of an interval in hours, rounded down to the hundredth."""
    seconds = Decimal((end - start).total_seconds())
    return (seconds / Decimal(3600)).quantize(HOURS_QUANTUM, rounding=ROUND_DOWN)


def aware(value: dt.datetime | dt.date | None, *, field: str) -> dt.datetime:
    if value is None:
        raise ValidationFailed("请填写时间", "A time is required", code="required", field=field)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


def local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date()
