"""Roster workbooks for the import tests and the benchmark."""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from wushe.core.ids import id_check_digit

HEADERS = ["姓名", "身份证号", "手机号", "社区代码", "队伍编码", "技能", "服务意向", "可服务时间",
           "加入日期", "监护人姓名", "监护人身份证号", "监护关系"]
SURNAMES = "陈李张刘王杨黄周何吴罗唐谭赵徐胡邓曾彭蒋"
GIVEN = "伟芳娟敏静丽强磊军洋勇艳杰娜涛明超秀霞平刚桂英华玉兰"


def idn(n: int, birth_year: int = 1960) -> str:
    """A valid, unique ID number per n (n < 365,000 × 1,000)."""
    day, seq = divmod(n, 1000)
    year = birth_year + day // 365
    month = (day % 365) // 28 + 1
    date = (day % 365) % 28 + 1
    first17 = f"500107{year:04d}{month:02d}{date:02d}{seq:03d}"
    return first17 + id_check_digit(first17)


def name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 7) % len(GIVEN)] + GIVEN[(n // 3) % len(GIVEN)]


def rows(count: int, community: str, team: str, *, start: int = 0) -> Iterable[list[Any]]:
    for n in range(start, start + count):
        yield [name(n), idn(n), f"139{n:08d}", community, team, "急救、摄影", "助老、上门慰问",
               "周末", "2024-05-01", "", "", ""]


def workbook(data: Iterable[list[Any]], path: Path | None = None) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("volunteers")
    ws.append(HEADERS)
    for row in data:
        ws.append(row)
    if path is not None:
        wb.save(path)
        return b""
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
