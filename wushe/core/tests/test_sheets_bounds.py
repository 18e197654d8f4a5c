"""Uploads are bounded before they are read: a zip-based workbook whose directory promises too
much (in all, or by its compression ratio) is refused before python-calamine decompresses a
byte; rows and cell lengths are capped as rows are read; the defaults admit a 1,000,000-row
roster."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from django.conf import settings

from wushe.core.errors import ValidationFailed
from wushe.core.excel import SCAN_ROWS, read_rows
from wushe.core.sheets import check_archive, open_sheet
from wushe.core.tests.bombs import big_cell_xlsx, many_rows_xlsx
from wushe.volunteers.importers import VolunteerImporter
from wushe.volunteers.tests.roster import rows, workbook


def _refused_fast(path: Path, code: str) -> ValidationFailed:
    started = time.perf_counter()
    with pytest.raises(ValidationFailed) as exc:
        open_sheet(str(path))
    assert time.perf_counter() - started < 2.0  # the directory only, nothing decompressed
    assert exc.value.code == code and exc.value.zh and exc.value.en
    return exc.value


def test_a_200_mb_cell_in_a_small_xlsx_is_refused_at_once(tmp_path: Path) -> None:
    bomb = big_cell_xlsx(tmp_path / "cell.xlsx")
    assert bomb.stat().st_size < 400 * 1024
    with zipfile.ZipFile(bomb) as z:
        assert sum(i.file_size for i in z.infolist()) > 200 * 1024 * 1024
    _refused_fast(bomb, "upload_too_expanded")


def test_300000_rows_in_a_few_kilobytes_are_refused_at_once(tmp_path: Path) -> None:
    bomb = many_rows_xlsx(tmp_path / "rows.xlsx")
    assert bomb.stat().st_size < 64 * 1024
    _refused_fast(bomb, "upload_too_expanded")


def test_the_total_decompressed_size_is_a_setting(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook(rows(2_000, "500107001001", "000100010001")))
    with path.open("rb") as fh:
        check_archive(fh)  # passes with the defaults
    settings.WUSHE_IMPORT_MAX_UNZIPPED_BYTES = 100_000
    _refused_fast(path, "upload_too_expanded")


def test_the_defaults_admit_a_million_row_roster(tmp_path: Path) -> None:
    """Extrapolated from a real openpyxl roster: 1,000,000 rows stay inside both limits with
    room to spare (the measurement behind the settings' comment)."""
    n = 5_000
    path = tmp_path / "roster.xlsx"
    path.write_bytes(workbook(rows(n, "500107001001", "000100010001")))
    with zipfile.ZipFile(path) as z:
        members = z.infolist()
    per_row = sum(i.file_size for i in members) / n
    worst_ratio = max(i.file_size / max(i.compress_size, 1) for i in members
                      if i.file_size >= 64 * 1024)
    assert per_row * 1_000_000 < settings.WUSHE_IMPORT_MAX_UNZIPPED_BYTES / 1.2
    assert worst_ratio * 5 < settings.WUSHE_IMPORT_MAX_ZIP_RATIO
    assert settings.WUSHE_IMPORT_MAX_ROWS >= 1_000_002  # the rows, a title and a header


def test_a_cell_over_excels_limit_is_refused_as_rows_are_read(tmp_path: Path) -> None:
    # A CSV keeps what it holds (python-calamine cuts an .xlsx cell at 32,767 itself).
    path = tmp_path / "long.csv"
    lines = ["姓名,身份证号,手机号,社区代码,队伍编码,技能"]
    lines += [f"张三{i},11010519491231002X,13912345678,500107001001,000100010001,急救"
              for i in range(SCAN_ROWS + 5)]
    lines.append("李四,11010519491231002X,13912345678,500107001001,000100010001," + "急" * 40_000)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _header, records, _sheet = read_rows(str(path), VolunteerImporter.columns)
    with pytest.raises(ValidationFailed) as exc:
        list(records)
    assert exc.value.code == "cell_too_long" and "32,767" in exc.value.en
    assert f"Row {SCAN_ROWS + 7}" in exc.value.en


def test_the_cell_cap_is_a_setting_and_checks_the_header_scan(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WUSHE_IMPORT_MAX_CELL_CHARS = 1_000
    data = list(rows(3, "500107001001", "000100010001"))
    data[2][5] = "急" * 2_000
    path = tmp_path / "long.xlsx"
    path.write_bytes(workbook(data))
    with pytest.raises(ValidationFailed) as exc:
        read_rows(str(path), VolunteerImporter.columns)
    assert exc.value.code == "cell_too_long"


def test_a_csv_field_too_long_for_csv_is_refused_not_a_500(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text("姓名,身份证号,技能\n张三,1,\"" + "x" * 200_000 + "\"\n", encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        _header, records, _sheet = read_rows(str(path), VolunteerImporter.columns)
        list(records)
    assert exc.value.code == "cell_too_long"


def test_the_row_cap_is_a_setting(tmp_path: Path, settings) -> None:  # type: ignore[no-untyped-def]
    settings.WUSHE_IMPORT_MAX_ROWS = 5
    xlsx = tmp_path / "r.xlsx"
    xlsx.write_bytes(workbook(rows(10, "500107001001", "000100010001")))
    with pytest.raises(ValidationFailed) as exc:
        open_sheet(str(xlsx))
    assert exc.value.code == "too_many_rows"
    csv_path = tmp_path / "r.csv"
    csv_path.write_text("".join(f"张三,{i}\n" for i in range(10)), encoding="utf-8")
    with pytest.raises(ValidationFailed):
        open_sheet(str(csv_path))
