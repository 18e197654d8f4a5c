"""Spreadsheets in and out: the one import pipeline every roster and list import uses.

An ``Importer`` names its columns (with the other words people use for each, see
core/headers.py), turns one row into a clean value or raises ValidationFailed, and writes a
batch of clean values. The pipeline around it gives every import the same behaviour:

* any of .xlsx, .xls, .ods and .csv is read (core/sheets.py), the header row is found below
  title rows, and the dry run reports which sheet column went to which field;
* a dry run validates everything and writes nothing;
* errors are reported per row and column, with the sheet's row numbers, in both languages;
* rows already in wushe are skipped and said so per row, so a rerun adds nothing;
* by default nothing is written when any row fails (all-or-nothing); ``valid_only`` writes
  just the rows that passed;
* rows are validated and written batch by batch inside one transaction (no second copy of a
  big sheet is held), so a process killed mid-import leaves nothing half-made, and a row error
  after the first batch rolls every batch back.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, TYPE_CHECKING, Any, ClassVar

from django.db import transaction
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from wushe.core import plannerstats
from wushe.core.errors import ValidationFailed, WusheError
from wushe.core.headers import SCAN_ROWS, Column, Header, find_header
from wushe.core.scoping import scopes_disabled
from wushe.core.sheets import Sheet, cell_too_long, limits, open_sheet, too_many_rows

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor

__all__ = ["Column", "Importer", "ImportResult", "RowError", "RowSkipped", "audit_region",
           "register", "run_import", "read_rows"]

# The content type of an .xlsx workbook, for every download of one.
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_IMPORT_BYTES = 64 * 1024 * 1024
MAX_ERRORS_KEPT = 5000
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's (1900-based) serial dates
_SERIALS = range(1, 2958466)  # 1900-01-01 .. 9999-12-31
_MIDNIGHT = dt.time(0)


class RowSkipped(WusheError):  # noqa: N818  (a notice, not an error: the row is in wushe)
    """A row that is already in wushe: not written again, and said so on its row."""

    code = "already_imported"


@dataclass(frozen=True)
class RowError:
    row: int  # spreadsheet row number, as the sheet shows it
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
    skipped: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    notices: list[RowError] = field(default_factory=list)  # rows skipped, with the reason
    sheet: str = ""
    format: str = ""
    header_row: int = 0
    mapping: list[dict[str, Any]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "total": self.total, "valid": self.valid,
                "imported": self.imported, "skipped": self.skipped, "dry_run": self.dry_run,
                "error_count": self.error_count,
                "errors": [e.as_dict() for e in self.errors],
                "notices": [n.as_dict() for n in self.notices],
                "sheet": self.sheet, "format": self.format, "header_row": self.header_row,
                "mapping": self.mapping}


class Importer(ABC):
    """Subclass per kind; register with ``register``."""

    kind: ClassVar[str]
    title_zh: ClassVar[str]
    title_en: ClassVar[str]
    columns: ClassVar[list[Column]]
    batch_size: ClassVar[int] = 5000

    def __init__(self, actor: MaybeActor) -> None:
        self.actor = actor
        self.skips: list[RowError] = []  # rows ``write`` found already in wushe
        self.expected_rows = 0  # about how many rows the sheet has (0: unknown)

    def check_permission(self) -> None:
        """Raise if the actor may not import this kind at all (default: anyone may)."""
        return None

    @abstractmethod
    def parse(self, row: dict[str, Any], rownum: int) -> Any:
        """Clean one row or raise ValidationFailed (its ``field`` names the column), or
        RowSkipped when the row is already in wushe."""

    @abstractmethod
    def write(self, rows: list[Any]) -> int:
        """Write a batch of parsed rows (inside the import's transaction); return the count.
        A row found already in wushe only now is reported with ``skip``."""

    def finish(self, result: ImportResult) -> None:
        """After all batches, inside the transaction: e.g. one audit event for the import."""
        return None

    def close(self) -> None:
        """After the last batch of a writing import, always (rows written or not), inside its
        transaction: undo what ``write`` set up for the load (e.g. paused indexes)."""
        return None

    def skip(self, rownum: int, field: str, zh: str, en: str) -> None:
        self.skips.append(RowError(rownum, self.label(field), zh, en))

    @classmethod
    def label(cls, key: str | None) -> str:
        return next((c.zh for c in cls.columns if c.key == key), key or "")


IMPORTERS: dict[str, type[Importer]] = {}


def register(cls: type[Importer]) -> type[Importer]:
    IMPORTERS[cls.kind] = cls
    return cls


def excel_date(value: Any) -> Any:
    """An Excel serial day number (45413, or "45413" from a CSV) as the date it stands for;
    anything else unchanged (the importer's own date rules then apply)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 5:
        value = int(value)
    if isinstance(value, int | float) and value == int(value) and int(value) in _SERIALS:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    return value


def read_rows(source: IO[bytes] | str, columns: list[Column],
              chosen: dict[str, str] | None = None,
              ) -> tuple[Header, Iterator[tuple[int, dict[str, Any]]], Sheet]:
    """The header found in the first sheet, and an iterator of (row number, {field: value})
    for the rows below it; blank rows are left out. Also the sheet (its name, format and
    about how many rows it has)."""
    sheet = open_sheet(source)
    numbered = zip(itertools.count(sheet.first_row + 1), sheet.rows, strict=False)
    top = list(itertools.islice(numbered, SCAN_ROWS))
    header = find_header(top, columns, chosen, first_col=sheet.first_col)
    wanted = list(header.index.items())
    dates = [c.key for c in columns if c.date and c.key in header.index]
    *_, max_rows, max_cell = limits()
    for rownum, cells in top:
        if any(v.__class__ is str and len(v) > max_cell for v in cells):
            raise cell_too_long(max_cell, rownum)

    def records() -> Iterator[tuple[int, dict[str, Any]]]:
        # The hot loop of a big import (a cell per field per row): kept flat on purpose.
        for rownum, cells in itertools.chain(
                (r for r in top if r[0] > header.row), numbered):
            if rownum > max_rows:  # the sheet's used range said less (a CSV's quoted lines)
                raise too_many_rows(max_rows)
            width, row, blank = len(cells), {}, True
            for key, i in wanted:
                v = cells[i] if i < width else None
                if v.__class__ is str:
                    if len(v) > max_cell:
                        raise cell_too_long(max_cell, rownum)
                    v = v.strip() or None  # also the ideographic and no-break spaces WPS leaves
                elif v.__class__ is dt.datetime and v.time() == _MIDNIGHT:
                    v = v.date()  # a date cell
                row[key] = v
                blank = blank and v is None
            if blank:
                continue  # a blank row, or one with only a serial number
            for key in dates:
                row[key] = excel_date(row[key])
            yield rownum, row

    return header, records(), sheet


def run_import(
    kind: str, source: IO[bytes] | str, *, actor: MaybeActor, dry_run: bool = False,
    valid_only: bool = False, progress: Callable[[int], None] | None = None,
    mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Import ``source`` as ``kind``. ``mapping`` (field → header text) is the user's own
    choice of columns, applied before the importer's synonyms."""
    if kind not in IMPORTERS:
        raise ValidationFailed(f"未知的导入类型 {kind}", f"Unknown import kind {kind}")
    importer = IMPORTERS[kind](actor)
    importer.check_permission()
    header, records, sheet = read_rows(source, importer.columns, mapping)
    importer.expected_rows = sheet.rows_hint
    result = ImportResult(kind=kind, dry_run=dry_run, header_row=header.row,
                          mapping=header.report(importer.columns), sheet=sheet.name,
                          format=sheet.format)
    writing = not dry_run
    with ExitStack() as stack:
        if writing:
            stack.enter_context(transaction.atomic())
            stack.enter_context(scopes_disabled())
        batch: list[Any] = []
        for rownum, row in records:
            result.total += 1
            try:
                parsed = importer.parse(row, rownum)
            except RowSkipped as exc:
                _note(result, RowError(rownum, importer.label(exc.field), exc.zh, exc.en))
            except WusheError as exc:
                result.error_count += 1
                if len(result.errors) < MAX_ERRORS_KEPT:
                    result.errors.append(
                        RowError(rownum, importer.label(exc.field), exc.zh, exc.en))
                if not valid_only:
                    writing, batch = False, []  # all-or-nothing: check the rest, write none
            else:
                result.valid += 1
                if writing:
                    batch.append(parsed)
                    if len(batch) >= importer.batch_size:
                        result.imported += importer.write(batch)
                        batch = []
            if progress and result.total % 1000 == 0:
                progress(result.total)
        if writing and batch:
            result.imported += importer.write(batch)
        if not dry_run:
            importer.close()
        for notice in importer.skips:
            _note(result, notice)
        if writing and result.imported:
            importer.finish(result)
        elif not dry_run and result.imported:
            transaction.set_rollback(True)  # a row failed after earlier batches were written
            result.imported = 0
    result.valid -= len(importer.skips)
    if result.imported:
        plannerstats.after_bulk_write(result.imported)
    return result


def audit_region(paths: list[str]) -> str:
    """The region an import's audit event is filed under: its one community or region, or the
    district of several (region paths share the district's six digits)."""
    return paths[0] if len(paths) == 1 else (paths[0][:6] if paths else "")


def _note(result: ImportResult, notice: RowError) -> None:
    result.skipped += 1
    if len(result.notices) < MAX_ERRORS_KEPT:
        result.notices.append(notice)


def workbook_bytes(sheets: Iterable[tuple[str, list[str], Iterable[Iterable[Any]]]]) -> bytes:
    """A real .xlsx from (sheet title, headers, rows); write-only so memory stays flat."""
    wb = Workbook(write_only=True)
    for title, headers, rows in sheets:
        ws = wb.create_sheet(title[:31])
        ws.append(headers)
        for row in rows:
            ws.append([_grouped_money(ws, v) if v.__class__ is Decimal else v for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


# Yuan (Decimal) show grouped with two decimals (12,099,700.00) while staying numbers; ints are
# left as they are: a year, an id or a sequence number must never read "2,026".
MONEY_FORMAT = "#,##0.00"


def _grouped_money(ws: Any, value: Decimal) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = MONEY_FORMAT
    return cell


def template_bytes(kind: str) -> bytes:
    """The import template for a kind: bilingual headers and one example row."""
    cols = IMPORTERS[kind].columns
    return workbook_bytes([(kind, [c.zh for c in cols],
                            [[c.example for c in cols]])])


def errors_bytes(result: ImportResult) -> bytes:
    return workbook_bytes([("errors", ["行 Row", "列 Column", "错误 Error", "Error"],
                            ([e.row, e.column, e.zh, e.en] for e in result.errors))])
