"""Hostile workbooks for the upload-bound tests, built in a temporary directory: zips whose
directory promises far more than their size."""

from __future__ import annotations

import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/></Types>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/'
    'spreadsheetml/2006/main"><sheets><sheet name="s" sheetId="1" r:id="rId1" xmlns:r="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships"/></sheets></workbook>')
_SHEET_HEAD = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
               'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_TAIL = "</sheetData></worksheet>"


def _xlsx(path: Path, sheet_parts: list[bytes], repeat: int) -> Path:
    """An .xlsx whose sheet is head + parts[1] × repeat + tail, streamed (never in memory)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr("[Content_Types].xml", _CONTENT_TYPES)
        z.writestr("xl/workbook.xml", _WORKBOOK)
        with z.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(sheet_parts[0])
            chunk = sheet_parts[1] * max(1, (1 << 20) // len(sheet_parts[1]))
            per_chunk = len(chunk) // len(sheet_parts[1])
            done = 0
            while done + per_chunk <= repeat:
                sheet.write(chunk)
                done += per_chunk
            sheet.write(sheet_parts[1] * (repeat - done))
            sheet.write(sheet_parts[2])
    return path


def big_cell_xlsx(path: Path, megabytes: int = 200) -> Path:
    """One inline-string cell of ``megabytes`` MB of "A": about 200 KB on disk."""
    return _xlsx(path, [(_SHEET_HEAD + '<row r="1"><c r="A1" t="inlineStr"><is><t>').encode(),
                        b"A" * 1024,
                        ("</t></is></c></row>" + _SHEET_TAIL).encode()], megabytes * 1024)


def many_rows_xlsx(path: Path, rows: int = 300_000) -> Path:
    """``rows`` identical one-cell rows: tens of kilobytes on disk."""
    return _xlsx(path, [_SHEET_HEAD.encode(),
                        b'<row><c t="inlineStr"><is><t>x</t></is></c></row>',
                        _SHEET_TAIL.encode()], rows)
