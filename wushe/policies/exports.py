"""The rows of the policy list's spreadsheet export."""

from __future__ import annotations

import datetime as dt
from typing import Any


def export_rows(docs: Any, today: dt.date) -> list[list[Any]]:
    return [[d.title, d.issuer, d.number, d.issued_on, d.effective_on, d.repealed_on,
             "现行有效" if d.in_force(today) else "已失效/未施行"] for d in docs]
