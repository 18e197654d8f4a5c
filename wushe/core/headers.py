"""Finding the header row of a real roster and knowing what each of its columns means.

Street offices make rosters in WPS or Excel their own way: a merged title row ("杨家坪街道志愿者
花名册") and a date line above the headers, a 序号 column, their own words for a column
(身份证号码, 公民身份号码, 联系电话 …), a marker for required columns ("姓名*", "姓名(必填)").
``find_header`` scores the first rows of the sheet against an importer's columns, each of which
lists the words people use for it (one synonym table per importer, on its ``Column``s), and
takes the row that names the most of them. A mapping the user chose on the column-mapping page
(field → header text) is applied before the synonyms.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from wushe.core.errors import ValidationFailed

SCAN_ROWS = 30  # a header lower than this is not a roster's header
_BRACKETED = re.compile(r"[(\[【][^)\]】]*[)\]】]")
_NOISE = re.compile(r"[\s*＊:：※#]+")


def normal(text: object) -> str:
    """A header as compared: half-width, lower-case, without spaces, required-markers or a
    bracketed note ("身份证号码(必填)", " 姓 名* " and "姓名" compare equal)."""
    if text is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(text)).lower()
    return _NOISE.sub("", _BRACKETED.sub("", folded))


def letter(index: int) -> str:
    """The spreadsheet column letter of a 0-based index (0 → A, 27 → AB)."""
    name, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


@dataclass(frozen=True)
class Column:
    """One field an importer reads. ``aliases`` are the other header words people use for it;
    ``date`` marks a date column (an Excel serial number there is read as a date)."""

    key: str
    zh: str
    en: str
    required: bool = False
    example: str = ""
    aliases: tuple[str, ...] = ()
    date: bool = False

    def headers(self) -> set[str]:
        return {n for n in (normal(h) for h in (self.key, self.zh, self.en, *self.aliases)) if n}


@dataclass
class Header:
    """Where the header row is and which sheet column each field comes from."""

    row: int  # spreadsheet row number of the header
    cells: list[str]  # the header row's text, as written
    index: dict[str, int]  # field key -> 0-based column
    first_col: int = 0  # the sheet's first used column (for letters)
    missing: list[Column] = field(default_factory=list)

    def report(self, columns: Sequence[Column]) -> list[dict[str, Any]]:
        """Every non-empty header cell with the field it was mapped to (None: not used)."""
        by_index = {i: k for k, i in self.index.items()}
        labels = {c.key: {"zh": c.zh, "en": c.en} for c in columns}
        return [{"column": letter(self.first_col + i), "header": text,
                 "field": by_index.get(i), "label": labels.get(by_index.get(i, ""))}
                for i, text in enumerate(self.cells) if text]

    def chosen(self) -> dict[str, str]:
        """Field → header of what was recognised (to pre-fill the mapping page)."""
        return {key: self.cells[i] for key, i in self.index.items()}

    def choices(self) -> list[tuple[str, str]]:
        """(header as written, "B · 身份证号码") for the column-mapping page; a mapping names
        headers as written and is compared through ``normal``."""
        return [(text, f"{letter(self.first_col + i)} · {text}")
                for i, text in enumerate(self.cells) if normal(text)]


class MissingColumns(ValidationFailed):
    """Required columns not recognised: the import page offers to map them by hand."""

    code = "missing_columns"

    def __init__(self, header: Header) -> None:
        missing = header.missing
        super().__init__(
            "缺少必需的列:" + "、".join(c.zh for c in missing)
            + "(可在导入页面手动对应各列)",
            "Missing required columns: " + ", ".join(c.en for c in missing)
            + " (you can map the columns by hand on the import page)")
        self.header = header


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _words(columns: Sequence[Column]) -> dict[str, str]:
    """Every header word of the importer → its field (the first column naming it wins)."""
    words: dict[str, str] = {}
    for col in columns:
        for word in col.headers():
            words.setdefault(word, col.key)
    return words


def _match(cells: list[Any], words: dict[str, str],
           by_header: dict[str, str]) -> dict[str, int]:
    """Field → column for one candidate row: the user's choices first, then the synonyms."""
    index: dict[str, int] = {}
    normals = [normal(c) for c in cells]
    for i, n in enumerate(normals):  # the user's mapping wins over any synonym
        key = by_header.get(n)
        if n and key and key not in index:
            index[key] = i
    taken = set(index.values())
    for i, n in enumerate(normals):
        key = words.get(n)
        if n and key and key not in index and i not in taken:
            index[key] = i
            taken.add(i)
    return index


def find_header(rows: Iterable[tuple[int, list[Any]]], columns: Sequence[Column],
                chosen: dict[str, str] | None = None, first_col: int = 0) -> Header:
    """The header among the first rows: the row naming the most required, then most, fields.

    ``rows`` are (row number, cells) from the top of the sheet. Raises MissingColumns (with
    the best row's headers, for the mapping page) when a required field is not found."""
    words = _words(columns)
    by_header = {normal(h): k for k, h in (chosen or {}).items() if normal(h)}
    required = {c.key for c in columns if c.required}
    best: tuple[tuple[int, int], int, list[Any], dict[str, int]] | None = None
    fallback: tuple[int, int, list[Any]] | None = None  # the row that looks most like headers
    for rownum, cells in rows:
        texts = [_text(c) for c in cells]
        filled = min(2, sum(1 for t in texts if t))
        if filled and (fallback is None or filled > fallback[0]):
            fallback = (filled, rownum, cells)
        index = _match(texts, words, by_header)
        score = (len(required & index.keys()), len(index))
        if index and (best is None or score > best[0]):
            best = (score, rownum, cells, index)
    if best is None:
        if fallback is None:
            raise ValidationFailed("表格是空的", "The sheet is empty", code="empty_sheet")
        _filled, rownum, cells = fallback
        index = {}
    else:
        _score, rownum, cells, index = best
    header = Header(row=rownum, cells=[_text(c) for c in cells], index=index,
                    first_col=first_col)
    header.missing = [c for c in columns if c.required and c.key not in index]
    if header.missing:
        raise MissingColumns(header)
    return header
