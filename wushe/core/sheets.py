"""Reading the spreadsheets people actually have: .xlsx, .xls, .ods and .csv.

Workbooks go through python-calamine (a Rust reader: a 250,000-row roster in about two seconds
where openpyxl needs 26). It holds the first sheet in memory and hands rows to Python one at a
time, so nothing here keeps a second copy of the rows. A .csv is decoded as UTF-8 (with or
without a BOM) and, when that fails, as GB18030, the superset of the GBK that Excel and WPS
write on Chinese Windows.

The format is told from the file's first bytes, never from its name: a renamed file is read as
what it is, and a file that is none of the four is refused with one clear message.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from python_calamine import CalamineError, CalamineWorkbook

from wushe.core.errors import ValidationFailed

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound-file header of a legacy .xls
_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"
_SNIFF = 64 * 1024
# Row elements expected in a sheet part; only used to size the progress bar.
_ROW_TAGS = (b"<row ", b"<row>", b"<table:table-row")

FORMATS = ("xlsx", "xls", "ods", "csv")
# A workbook has a few dozen parts; a zip directory of thousands is not a spreadsheet.
_MAX_MEMBERS = 10_000


def limits() -> tuple[int, int, int, int, int]:
    """(max decompressed bytes, max ratio, ratio checked from bytes, max rows, max cell
    characters): the settings WUSHE_IMPORT_* (config/settings/base.py has the measurements)."""
    return (settings.WUSHE_IMPORT_MAX_UNZIPPED_BYTES, settings.WUSHE_IMPORT_MAX_ZIP_RATIO,
            settings.WUSHE_IMPORT_ZIP_RATIO_FROM_BYTES, settings.WUSHE_IMPORT_MAX_ROWS,
            settings.WUSHE_IMPORT_MAX_CELL_CHARS)


def too_expanded(field: str | None = "file") -> ValidationFailed:
    return ValidationFailed(
        "文件解压后的数据过大或压缩比异常(可能是“压缩炸弹”),已拒绝读取;请检查文件后重新上传",
        "The file unpacks to too much data or is compressed suspiciously well (a possible zip "
        "bomb) and was not read; check the file and upload it again",
        field=field, code="upload_too_expanded")


def too_many_rows(max_rows: int) -> ValidationFailed:
    return ValidationFailed(
        f"表格行数超过上限({max_rows:,} 行);请拆分成几个文件分别导入",
        f"The sheet has more rows than the limit ({max_rows:,}); split it into several files",
        field="file", code="too_many_rows")


def cell_too_long(max_chars: int, row: int | None = None) -> ValidationFailed:
    where_zh, where_en = (f"第 {row} 行", f"Row {row}") if row else ("文件中", "The file")
    return ValidationFailed(
        f"{where_zh}有单元格超过 {max_chars:,} 个字符(Excel 单元格的上限)",
        f"{where_en} has a cell longer than {max_chars:,} characters (Excel's own limit)",
        field="file", code="cell_too_long")


def check_archive(fh: IO[bytes]) -> None:
    """Refuse a zip-based workbook (.xlsx, .ods) whose directory promises too much, before a
    byte of it is decompressed: more than WUSHE_IMPORT_MAX_UNZIPPED_BYTES in all, or a large
    member compressed more than WUSHE_IMPORT_MAX_ZIP_RATIO times (a roster compresses about
    13 times; a 200 MB cell in a 208 KB file about 1,000 times)."""
    max_bytes, max_ratio, ratio_from, _rows, _cell = limits()
    start = fh.tell()
    try:
        with zipfile.ZipFile(fh) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as exc:
        raise not_a_spreadsheet(field="file") from exc
    finally:
        fh.seek(start)
    if len(members) > _MAX_MEMBERS:
        raise too_expanded()
    total = 0
    for info in members:
        total += info.file_size
        if info.file_size >= ratio_from and \
                info.file_size > max_ratio * max(info.compress_size, 1):
            raise too_expanded()
    if total > max_bytes:
        raise too_expanded()


def not_a_spreadsheet(field: str | None = None) -> ValidationFailed:
    return ValidationFailed(
        "文件不是可读取的表格:请上传 Excel(.xlsx/.xls)、WPS/LibreOffice(.ods)或 CSV 文件",
        "The file is not a spreadsheet we can read: upload an Excel (.xlsx/.xls), "
        "OpenDocument (.ods) or CSV file", field=field, code="not_spreadsheet")


@dataclass
class Sheet:
    """The first sheet of a file: its name, its format and its rows (lists of cell values:
    str, int, float, bool, date, datetime, time; an empty cell is "" or None)."""

    name: str
    format: str
    rows: Iterator[list[Any]]
    first_row: int = 0  # 0-based row and column of the first cell ``rows`` starts at
    first_col: int = 0
    rows_hint: int = 0  # about how many rows (the used range's height; a CSV's lines)


def sniff(head: bytes) -> str:
    """The format of a file from its first bytes ("" when it is none we read)."""
    if head.startswith(_OLE2):
        return "xls"
    if head.startswith(b"PK\x03\x04"):
        # An OpenDocument package stores its mimetype uncompressed as the first entry.
        return "ods" if _ODS_MIMETYPE in head[:200] else "xlsx"
    if b"\x00" in head[:4096]:
        return ""  # binary, not text
    return "csv"


def _calamine_rows(sheet: Any) -> Iterator[list[Any]]:
    try:
        yield from sheet.iter_rows()
    except CalamineError as exc:
        raise not_a_spreadsheet() from exc


def _decode(data: bytes) -> str:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise ValidationFailed(
            "CSV 文件的编码无法识别:请另存为 UTF-8 或 GBK 编码",
            "The CSV file's encoding is not recognised: save it as UTF-8 or GBK",
            code="csv_encoding") from exc


def _csv_rows(text: str) -> Iterator[list[Any]]:
    try:
        dialect: Any = csv.Sniffer().sniff(text[:_SNIFF], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text), dialect)
    except csv.Error as exc:  # a field over csv's own limit (128 KiB), or a stray NUL
        raise cell_too_long(limits()[4]) from exc


def open_sheet(source: IO[bytes] | str) -> Sheet:
    """The first sheet of ``source`` (a path or a binary file), or ValidationFailed."""
    fh: IO[bytes] = open(source, "rb") if isinstance(source, str) else source  # noqa: SIM115
    try:
        head = fh.read(_SNIFF)
        fh.seek(0)
        kind = sniff(head)
        if not kind:
            raise not_a_spreadsheet()
        max_rows = limits()[3]
        if kind == "csv":
            text = _decode(fh.read())
            if text.count("\n") > max_rows:
                raise too_many_rows(max_rows)
            return Sheet(name="csv", format="csv", rows=_csv_rows(text),
                         rows_hint=text.count("\n"))
        if kind in ("xlsx", "ods"):
            check_archive(fh)  # before calamine decompresses anything
        try:
            workbook = CalamineWorkbook.from_filelike(fh)
        except (CalamineError, ValueError, OSError) as exc:
            raise not_a_spreadsheet() from exc
        try:
            if not workbook.sheet_names:
                raise ValidationFailed("表格是空的", "The sheet is empty", code="empty_sheet")
            sheet = workbook.get_sheet_by_index(0)
        except (CalamineError, ValueError, OSError) as exc:
            raise not_a_spreadsheet() from exc
        finally:
            # The loaded sheet holds its own cells: the workbook (and its shared-string table,
            # 18 MB for a 250,000-row roster) can go before the rows are read.
            workbook.close()
        # python-calamine's rows begin at row 1 but at the first used column, not at A: keep
        # that offset so the column letters are the ones the user sees (a test holds both).
        first_col = (sheet.start or (0, 0))[1]
        if int(sheet.height or 0) > max_rows:
            raise too_many_rows(max_rows)
        return Sheet(name=str(sheet.name), format=kind, rows=_calamine_rows(sheet),
                     first_col=first_col, rows_hint=int(sheet.height or 0))
    finally:
        if isinstance(source, str):
            fh.close()


def row_estimate(path: str) -> int:
    """About how many rows the first sheet has below one header row, without reading a cell:
    for the progress bar.

    """
    return max(0, _rows(path) - 1)


def _rows(path: str) -> int:
    """Rows of the first sheet, without reading a cell.

    A .csv counts its lines; an .xlsx its first sheet's row elements; an .ods its table rows;
    a .xls (at most 65,536 rows) by its size."""
    try:
        with open(path, "rb") as fh:
            kind = sniff(fh.read(_SNIFF))
            fh.seek(0)
            if kind == "csv":
                return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
        if kind == "xls":
            return 0
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            part = "content.xml" if kind == "ods" else next(
                (n for n in sorted(names) if n.startswith("xl/worksheets/sheet")), "")
            if not part:
                return 0
            return _count_tags(archive, part)
    except (OSError, zipfile.BadZipFile):
        return 0


def _count_tags(archive: zipfile.ZipFile, part: str) -> int:
    count, tail = 0, b""
    with archive.open(part) as sheet:
        for chunk in iter(lambda: sheet.read(1 << 20), b""):
            data = tail + chunk
            count += sum(data.count(t) for t in _ROW_TAGS)
            tail = data[-20:]  # a tag split across chunks is counted once, in the next one
            count -= sum(tail.count(t) for t in _ROW_TAGS)
    return count + sum(tail.count(t) for t in _ROW_TAGS)
