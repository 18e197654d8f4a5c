"""Free text from users: normalised, bounded, and free of markup."""

from __future__ import annotations

import re

from wushe.core.errors import ValidationFailed
from wushe.core.ids import to_half_width

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|javascript\s*:", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NAME = re.compile(r"^[\u3400-\u9fffA-Za-z·•.\- ]+$")


def clean_text(value: object, *, field: str, label_zh: str, label_en: str, max_length: int,
               required: bool = False) -> str:
    text = "" if value is None else _CONTROL.sub("", str(value)).strip()
    if required and not text:
        raise ValidationFailed(f"请填写{label_zh}", f"{label_en} is required", code="required",
                               field=field)
    if len(text) > max_length:
        raise ValidationFailed(
            f"{label_zh}不能超过{max_length}个字", f"{label_en} may not exceed {max_length} characters",
            code="too_long", field=field,
        )
    if _MARKUP.search(text):
        raise ValidationFailed(
            f"{label_zh}不能包含网页代码(如 <script>)",
            f"{label_en} may not contain markup such as <script>",
            code="markup", field=field,
        )
    return text


def clean_person_name(value: object, *, field: str = "name") -> str:
    text = clean_text(to_half_width(str(value or "")), field=field, label_zh="姓名",
                      label_en="Name", max_length=50, required=True)
    if not _NAME.match(text):
        raise ValidationFailed(
            "姓名只能包含汉字、字母和间隔号", "A name may contain only Chinese characters, letters and ·",
            code="name_format", field=field,
        )
    return text
