"""Excel in and out: the one import pipeline every roster and list import uses.

An ``Importer`` names its columns (Chinese and English headers both accepted), turns one row
into a clean value or raises ValidationFailed, and writes a batch of clean values. The pipeline
around it gives every import the same behaviour:

* a dry run validates everything and writes nothing;
* errors are reported per row and column, in both languages;
* by default nothing is written when any row fails (all-or-nothing); ``valid_only`` writes
  just the rows that passed;
* writes happen in one transaction, so a process killed mid-import leaves nothing half-made.
"""

from __future__ import annotations

import io
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, ClassVar

from django.db import transaction
from openpyxl import Workbook, load_workbook

from wushe.core import plannerstats
from wushe.core.errors import ValidationFailed, WusheError
from wushe.core.scoping import scopes_disabled

MAX_IMPORT_BYTES = 64 * 1024 * 1024
MAX_ERRORS_KEPT = 5000


@dataclass(frozen=True)
class Column:
    key: str
    zh: str
    en: str
    required: bool = False
    example: str = ""

    def headers(self) -> set[str]:
        return {self.key.lower(), self.zh.lower(), self.en.lower()}


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number (header is row 1)
    column: str
    zh: str
    en: str

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "column": self.column, "message": {"zh": self.zh, "en": self.en}}


@dataclass
class ImportResult:
    kind: str
    total: int = 0
    valid: int = 0
    imported: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "total": self.total, "valid": self.valid,
                "imported": self.imported, "dry_run": self.dry_run,
                "error_count": self.error_count,
                "errors": [e.as_dict() for e in self.errors]}


class Importer(ABC):
    """Subclass per kind; register with ``register``."""

    kind: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]
    columns: ClassVar[list[Column]]
    batch_size: ClassVar[int] = 5000

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    def check_permission(self) -> None:
        """Raise if the actor may not import this kind at all (default: anyone may)."""
        return None

    @abstractmethod
    def parse(self, row: dict[str, Any], rownum: int) -> Any:
        """Clean one row or raise ValidationFailed (its ``field`` names the column)."""

    @abstractmethod
    def write(self, rows: list[Any]) -> int:
        """Write a batch of parsed rows (inside the import's transaction); return the count."""

    def finish(self, result: ImportResult) -> None:
        """After all batches, inside the transaction: e.g. one audit event for the import."""
        return None


IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    IMPORTERS[cls.kind] = cls
    return cls


def read_rows(source: IO[bytes] | str, columns: list[Column]) -> Iterator[tuple[int, dict[str, Any]]]:
    """Yield (row number, {column key: cell value}) from the first sheet, streaming."""
    try:
        wb = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several types for a file that is not .xlsx
        raise ValidationFailed("文件不是有效的 Excel(.xlsx)工作簿",
                               "The file is not a valid Excel (.xlsx) workbook",
                               code="not_xlsx") from exc
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None:
        raise ValidationFailed("表格是空的", "The sheet is empty", code="empty_sheet")
    index: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = str(cell or "").strip().lower()
        for col in columns:
            if name in col.headers():
                index[col.key] = i
    missing = [c for c in columns if c.required and c.key not in index]
    if missing:
        raise ValidationFailed(
            "缺少必需的列:" + "、".join(c.zh for c in missing),
            "Missing required columns: " + ", ".join(c.en for c in missing),
            code="missing_columns")
    for n, values in enumerate(rows, start=2):
        if values is None or all(v is None or str(v).strip() == "" for v in values):
            continue
        yield n, {key: (values[i] if i < len(values) else None) for key, i in index.items()}
    wb.close()


def run_import(
    kind: str, source: IO[bytes] | str, *, actor: Any, dry_run: bool = False,
    valid_only: bool = False, progress: Callable[[int], None] | None = None,
) -> ImportResult:
    if kind not in IMPORTERS:
        raise ValidationFailed(f"未知的导入类型 {kind}", f"Unknown import kind {kind}")
    importer = IMPORTERS[kind](actor)
    importer.check_permission()
    result = ImportResult(kind=kind, dry_run=dry_run)
    parsed: list[Any] = []
    for rownum, row in read_rows(source, importer.columns):
        result.total += 1
        try:
            parsed.append(importer.parse(row, rownum))
        except WusheError as exc:
            result.error_count += 1
            if len(result.errors) < MAX_ERRORS_KEPT:
                column = next((c.zh for c in importer.columns if c.key == exc.field), exc.field)
                result.errors.append(RowError(rownum, column or "", exc.zh, exc.en))
        if progress and result.total % 1000 == 0:
            progress(result.total)
    result.valid = len(parsed)
    if dry_run or not parsed or (result.error_count and not valid_only):
        return result
    with transaction.atomic(), scopes_disabled():
        for start in range(0, len(parsed), importer.batch_size):
            result.imported += importer.write(parsed[start:start + importer.batch_size])
            if progress:
                progress(result.total + result.imported)
        importer.finish(result)
    plannerstats.after_bulk_write(result.imported)
    return result


def workbook_bytes(sheets: Iterable[tuple[str, list[str], Iterable[Iterable[Any]]]]) -> bytes:
    """A real .xlsx from (sheet title, headers, rows); write-only so memory stays flat."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append(headers)
        for row in rows:
            ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def template_bytes(kind: str) -> bytes:
    """The import template for a kind: bilingual headers and one example row."""
    cols = IMPORTERS[kind].columns
    return workbook_bytes([(kind, [c.zh for c in cols],
                            [[c.example for c in cols]])])


def errors_bytes(result: ImportResult) -> bytes:
    return workbook_bytes([("errors", ["行 Row", "列 Column", "错误 Error", "Error"],
                            ([e.row, e.column, e.zh, e.en] for e in result.errors))])
