"""Cleaning the volunteers' tag fields (skills, codes of a fixed list), for forms, services and
the roster importer alike."""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation

from wushe.core.errors import ValidationFailed
from wushe.core.ids import to_half_width
from wushe.core.text import clean_text
from wushe.volunteers.models import join_tags

MAX_TAGS = 12
MAX_TAG_LENGTH = 20
_SPLIT = re.compile(r"[,,、;;/|\s]+")


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
