"""Small helpers the volunteer services share: tags, numbers, hours, times."""

from __future__ import annotations

import datetime as dt
import re
import secrets
from decimal import ROUND_DOWN, Decimal, InvalidOperation
from typing import Any

from django.utils import timezone, translation

from wushe.core.errors import ValidationFailed
from wushe.core.ids import to_half_width
from wushe.core.text import clean_text
from wushe.volunteers.models import MAX_HOURS_PER_DAY, Volunteer, join_tags

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


# 志愿者编号: ZY + district code + 10 random characters + a check character. Random, so a number
# on a public certificate tells nothing about how many volunteers there are or when one joined
# (a serial did), and cannot be guessed; never derived from the ID number or the database id.
# No 0/O, 1/I/L among the random characters: a number read aloud must not be ambiguous.
NUMBER_RANDOM = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
NUMBER_RANDOM_LENGTH = 10
# The check character: a weighted sum mod 31 (a prime) over the district code's digits and the
# random characters' places in NUMBER_RANDOM, the weights powers of 3 (a primitive root mod 31,
# so all sixteen differ): every single mistyped character and every swap of two different
# neighbours changes the sum, and is caught before any lookup.
_WEIGHTS = tuple(pow(3, i, 31) for i in range(6 + NUMBER_RANDOM_LENGTH))
_RANDOM_VALUE = {ch: i for i, ch in enumerate(NUMBER_RANDOM)}
NUMBER_LENGTH = 2 + 6 + NUMBER_RANDOM_LENGTH + 1
_NUMBER_BATCH = 5_000


# Random bytes to random characters in C: a byte below 248 (31 x 8) is its value mod 31, the
# others are dropped (no bias). A secrets.choice per character took 13 s for 250,000 numbers.
_BYTE_TO_CHAR = bytes(ord(NUMBER_RANDOM[b % 31]) for b in range(248)) + bytes(8)
_BIASED = bytes(range(248, 256))


def number_check_char(body: str) -> str:
    """``body`` is the 6-digit district code and the 10 random characters."""
    total = sum(int(c) * w for c, w in zip(body[:6], _WEIGHTS[:6], strict=True))
    total += sum(_RANDOM_VALUE[c] * w for c, w in zip(body[6:], _WEIGHTS[6:], strict=True))
    return NUMBER_RANDOM[-total % 31]


def _random_parts(count: int) -> list[str]:
    size = NUMBER_RANDOM_LENGTH * count
    chars = b""
    while len(chars) < size:
        chars += secrets.token_bytes(size - len(chars) + 16).translate(_BYTE_TO_CHAR, _BIASED)
    text = chars[:size].decode()
    return [text[i:i + NUMBER_RANDOM_LENGTH] for i in range(0, size, NUMBER_RANDOM_LENGTH)]


def volunteer_number(district: str) -> str:
    """One fresh random number for ``district`` (uniqueness: see ``volunteer_numbers``)."""
    body = district + _random_parts(1)[0]
    return f"ZY{body}{number_check_char(body)}"


def is_volunteer_number(text: str) -> bool:
    """The shape and check character of a (normalised) volunteer number."""
    return (len(text) == NUMBER_LENGTH and text.startswith("ZY") and text[2:8].isdigit()
            and all(c in NUMBER_RANDOM for c in text[8:-1])
            and number_check_char(text[2:-1]) == text[-1])


def volunteer_numbers(district: str, count: int) -> list[str]:
    """``count`` fresh numbers, unique among themselves and against the table: made in Python,
    checked with one query per 5,000 (never one per row), redrawn on the rare collision."""
    made: set[str] = set()
    while len(made) < count:
        bodies = [district + part for part in _random_parts(min(count - len(made),
                                                                 _NUMBER_BATCH))]
        drawn = {f"ZY{body}{number_check_char(body)}" for body in bodies} - made
        taken = set(Volunteer.objects.unscoped(reason="uniqueness check, no row shown").filter(number__in=drawn).order_by()
                    .values_list("number", flat=True))
        made |= drawn - taken
    return list(made)
