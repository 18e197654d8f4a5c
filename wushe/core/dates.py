"""A day as people write it in a form or a spreadsheet cell, read one way everywhere."""

from __future__ import annotations

import datetime as dt
import re

from wushe.core.ids import to_half_width

_SEPARATORS = re.compile(r"[年月/.\-]")


def read_day(raw: object) -> dt.date | None:
    """None for an empty value; the day of a date or datetime cell, or of text such as
    2024-05-01, 2024/5/1, 2024.5.1, 2024年5月1日 or 20240501 (full-width digits too).
    Raises ValueError for anything else."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = to_half_width(str(raw)).strip().removesuffix("日")
    if not text:
        return None
    if text.isascii() and text.isdigit() and len(text) == 8:
        return dt.date(int(text[:4]), int(text[4:6]), int(text[6:]))
    parts = _SEPARATORS.split(text)
    if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
        raise ValueError(text)
    return dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
