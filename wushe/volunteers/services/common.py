"""Small helpers the volunteer services share: tags, numbers, hours, times."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.db.models import F
from django.utils import timezone, translation

from wushe.core.errors import ValidationFailed
from wushe.core.ids import to_half_width
from wushe.core.text import clean_text
from wushe.volunteers.models import MAX_HOURS_PER_DAY, NumberSequence, join_tags

MAX_TAGS = 12
MAX_TAG_LENGTH = 20
_SPLIT = re.compile(r"[,,、;;/|\s]+")
HOURS_QUANTUM = Decimal("0.01")


def split_text_tags(raw: Any) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, list | tuple | set):
        items = [str(x) for x in raw]
    else:
        items = _SPLIT.split(to_half_width(str(raw)))
    return [i.strip() for i in items if i and i.strip()]


def clean_skills(raw: Any) -> str:
    """Free skill tags (急救, 心理咨询 …): deduplicated, bounded, free of markup."""
    tags: list[str] = []
    for item in split_text_tags(raw):
        tag = clean_text(item, field="skills", label_zh="技能", label_en="Skills",
                         max_length=MAX_TAG_LENGTH)
        if "," in tag:
            raise ValidationFailed("技能标签不能包含逗号", "A skill tag may not contain a comma",
                                   field="skills")
        if tag and tag not in tags:
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise ValidationFailed(f"技能标签最多{MAX_TAGS}个", f"At most {MAX_TAGS} skill tags",
                               field="skills")
    return join_tags(tags)


def label_map(choices: list[tuple[str, Any]]) -> dict[str, str]:
    """Code by code, by label in either language, and by either half of "English (中文)"."""
    by_label: dict[str, str] = {}
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for code, label in choices:
                by_label[code] = code
                text = str(label)
                by_label[text] = code
                by_label[text.lower()] = code
                if "(" in text:  # "Home visits (上门慰问)": either half alone names it too
                    by_label[text[text.index("(") + 1:text.rindex(")")]] = code
                    by_label[text[:text.index("(")].strip().lower()] = code
    return by_label


def clean_codes(raw: Any, choices: list[tuple[str, Any]] | dict[str, str], *, field: str,
                label_zh: str, label_en: str) -> str:
    """Codes of a fixed list; a label in either language is accepted for the code."""
    by_label = choices if isinstance(choices, dict) else label_map(choices)
    codes: list[str] = []
    for item in split_text_tags(raw):
        found = by_label.get(item) or by_label.get(item.lower())
        if found is None:
            raise ValidationFailed(f"{label_zh}“{item[:20]}”不在可选范围内",
                                   f"{label_en} “{item[:20]}” is not one of the options",
                                   field=field)
        if found not in codes:
            codes.append(found)
    return join_tags(codes)


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


def allocate(key: str, count: int) -> int:
    """Reserve ``count`` numbers of a sequence; returns the first. Call inside a transaction."""
    seq, _created = NumberSequence.objects.select_for_update().get_or_create(key=key)
    NumberSequence.objects.filter(pk=seq.pk).update(last=F("last") + count)
    return seq.last + 1


def volunteer_number(district: str, seq: int) -> str:
    """志愿者编号: ZY + district code + an 8-digit serial. Never derived from the ID number."""
    return f"ZY{district}{seq:08d}"
