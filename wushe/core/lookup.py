"""Picking one record by the name a person wrote: a unique match is used, none or several is
an error that says which (and lists the candidates), so a roster can name a community, a team
or an organisation the way a street office writes it instead of by code.

Callers find the candidates within the actor's scope first, so a name outside it reads exactly
like an unknown one and no name leaks from another area.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import TypeVar

from wushe.core.errors import ValidationFailed

T = TypeVar("T")
MAX_LISTED = 8
_SPACES = re.compile(r"\s+")


def name_text(raw: object) -> str:
    """A name as compared: half-width, without spaces (people type "杨坪 社区")."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", str(raw or "")))


def code_text(raw: object) -> str:
    """A code as written: half-width and trimmed; a code Excel stored as a number ("3.0",
    500107001001.0) loses its ".0" (its digits survive up to 15 places)."""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    text = unicodedata.normalize("NFKC", str(raw or "")).strip()
    return text[:-2] if text.endswith(".0") else text


def is_code(text: str) -> bool:
    """ASCII digits only (after folding full-width ones): a code, not a name."""
    return bool(text) and text.isascii() and text.isdigit()


def one(text: str, found: Sequence[T], *, describe: Callable[[T], str], field: str,
        label_zh: str, label_en: str) -> T:
    """The single record in ``found`` for ``text``, or an error naming the candidates."""
    if len(found) == 1:
        return found[0]
    if not found:
        raise ValidationFailed(f"{label_zh}“{text}”不存在或不在您的管辖范围",
                               f"{label_en} “{text}” does not exist or is outside your area",
                               field=field, code="unknown_name")
    listed = [describe(f) for f in found[:MAX_LISTED]]
    more = len(found) - len(listed)
    zh_more = f"等{len(found)}个" if more > 0 else ""
    en_more = f" and {more} more" if more > 0 else ""
    raise ValidationFailed(
        f"{label_zh}“{text}”有多个同名:{'、'.join(listed)}{zh_more};请写明所属上级或填写代码",
        f"{label_en} “{text}” matches several: {'; '.join(listed)}{en_more}; "
        "add the parent's name or give the code", field=field, code="ambiguous_name")
