"""A volunteer roster as a street office really makes one, read in every format we accept.

The acceptance point of the import rework: a roster with a title row, a date line, synonyms
for the headers, communities and teams by name, a blank row, full-width digits, stray spaces,
an Excel serial date, an ID that Excel turned into a number, a bad checksum, a duplicate
within the file and a short phone is read; exactly the faulty rows are refused with their
row numbers (as the sheet shows them) and reasons; the rest is accepted. The same holds for
.xlsx, .xls, .ods and .csv (GBK and UTF-8 with a BOM), so each writer below builds the file
the way that program would, from ONE list of rows.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
import xlwt
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import CoveredTableCell, Table, TableCell, TableRow
from odf.text import P
from openpyxl import Workbook

from wushe.accounts.models import User
from wushe.core.errors import ValidationFailed
from wushe.core.excel import ImportResult, run_import
from wushe.core.headers import MissingColumns, normal
from wushe.core.ids import normalize_id_number
from wushe.people.models import Person
from wushe.people.names import name_index
from wushe.regions.lookup import RegionLookup
from wushe.regions.models import Region, RegionLevel
from wushe.regions.services import region_create
from wushe.volunteers import access
from wushe.volunteers.models import Membership, Team, Volunteer
from wushe.volunteers.tests.factories import VWorld, idn

Cell = str | int | float | None
Rows = list[list[Cell]]

TITLE = "杨家坪街道志愿者花名册"
DATE_LINE = "填报日期:2024年5月10日"
HEADERS = ["序号", "姓名", "身份证号码", "联系电话", "所属社区", "所属队伍", "加入日期"]
WIDTH = len(HEADERS)
HEADER_ROW = 3  # title, date line, headers: the first data row is sheet row 4

SERIAL = 45366  # how Excel stores 2024-03-15 in a date cell
SERIAL_DATE = dt.date(2024, 3, 15)
TEXT_DATE = "2024/5/1"
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def person_id(seq: int) -> str:
    """A valid ID number of an adult (born 1985), unique per ``seq``; none of the fixture's."""
    return idn("19850315", f"{seq:03d}")


def bad_checksum(id_number: str) -> str:
    """The same ID number with a wrong last character: what a typo looks like."""
    return id_number[:17] + ("0" if id_number[17] != "0" else "1")


def as_excel_number(id_number: str) -> float:
    """An ID typed into a General cell: Excel keeps it as a float, the last digits gone."""
    return float(id_number)


# --- the roster --------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """A faulty row: where it is, the column the error names, and words of its reason."""

    row: int
    column: str
    zh: str
    en: str


@dataclass(frozen=True)
class Good:
    """A row that must be imported, and what must be stored for it."""

    row: int
    name: str
    id_number: str  # the canonical (ASCII) ID it is stored with
    phone: str
    community: str  # code of the community the name resolves to
    team: str | None  # path of the team, if any
    join_date: dt.date


GOOD = [
    Good(4, "陈伟", person_id(1), "13912345601", "500107001001", "000100010001", SERIAL_DATE),
    Good(5, "李芳", person_id(2), "13912345602", "500107001001", "000100010001",
         dt.date(2024, 5, 1)),
    Good(6, "张敏", person_id(3), "13912345603", "500107001002", "000100010002",
         dt.date(2024, 5, 1)),
    Good(8, "刘洋", person_id(4), "13912345604", "500107001002", None, dt.date(2024, 5, 1)),
]
FAULTS = [
    Fault(9, "身份证号", "数字", "number"),  # Excel float (scientific notation in a CSV)
    Fault(10, "身份证号", "校验位", "check digit"),
    Fault(11, "身份证号", "重复", "twice"),  # the ID of row 4 again
    Fault(12, "手机号", "电话", "phone"),  # 1391234: seven digits
]


def roster() -> Rows:
    """The roster as a street office types it. Numbers stay numbers (the serial date, the ID
    Excel converted); a writer decides how its format stores them."""
    return [
        [TITLE],  # merged across the columns by the workbook writers
        [DATE_LINE],
        [*HEADERS],
        # community by bare name, team by name, join date as an Excel serial number
        [1, "陈伟", person_id(1), "13912345601", "杨坪社区", "杨坪社区生命花小队", SERIAL],
        # community with the committee suffix, team by its code
        [2, "李芳", person_id(2), "13912345602", "杨坪社区居委会", "000100010001", TEXT_DATE],
        # full-width ID, community as street + community
        [3, "张敏", person_id(3).translate(FULL_WIDTH), "13912345603", "杨家坪街道西郊社区",
         "西郊社区暖杨小队", TEXT_DATE],
        [None] * WIDTH,  # a blank row between the blocks
        # stray spaces (ideographic ones too) around the name and inside the phone; no team
        [4, "\u3000刘洋 ", person_id(4), " 139 1234 5604\u3000", "西郊社区", None, TEXT_DATE],
        [5, "王静", as_excel_number(person_id(5)), "13912345605", "杨坪社区", None, TEXT_DATE],
        [6, "杨丽", bad_checksum(person_id(6)), "13912345606", "杨坪社区", None, TEXT_DATE],
        [7, "黄强", person_id(1), "13912345607", "杨坪社区", None, TEXT_DATE],
        [8, "周磊", person_id(8), "1391234", "杨坪社区", None, TEXT_DATE],
    ]


def good_only() -> Rows:
    """The roster without its faulty rows (the title, date line and blank row stay)."""
    faulty = {f.row for f in FAULTS}
    return [r for n, r in enumerate(roster(), start=1) if n not in faulty]


def with_rows(data: Rows, headers: Sequence[str] = HEADERS) -> Rows:
    """A roster's title, date line and header above ``data`` (rows start at sheet row 4)."""
    return [[TITLE], [DATE_LINE], list(headers), *data]


# --- writing the roster in each format -------------------------------------------------


def _padded(rows: Rows) -> Rows:
    return [list(r) + [None] * (WIDTH - len(r)) for r in rows]


def write_xlsx(rows: Rows) -> bytes:
    """Excel: the title merged across the columns, numbers as number cells."""
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(list(row))
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=WIDTH)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_xls(rows: Rows) -> bytes:
    """Excel 97-2003 (what many street offices still save): written by xlwt."""
    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("花名册")
    ws.write_merge(0, 0, 0, WIDTH - 1, rows[0][0])
    for r, row in enumerate(rows[1:], start=1):
        for c, value in enumerate(row):
            if value is not None:
                ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _ods_cell(value: Cell) -> TableCell:
    # python-calamine ignores a cell without a value type: give every cell its own.
    if value is None:
        return TableCell()
    if isinstance(value, int | float):
        return TableCell(valuetype="float", value=repr(value))
    cell = TableCell(valuetype="string")
    cell.addElement(P(text=value))
    return cell


def write_ods(rows: Rows) -> bytes:
    """WPS / LibreOffice .ods: the title spans the columns, numbers are float cells."""
    doc = OpenDocumentSpreadsheet()
    table = Table(name="花名册")
    title = TableRow()
    first = TableCell(valuetype="string", numbercolumnsspanned=WIDTH)
    first.addElement(P(text=str(rows[0][0])))
    title.addElement(first)
    for _ in range(WIDTH - 1):
        title.addElement(CoveredTableCell())
    table.addElement(title)
    for row in _padded(rows[1:]):
        tr = TableRow()
        for value in row:
            tr.addElement(_ods_cell(value))
        table.addElement(tr)
    doc.spreadsheet.addElement(table)
    buf = io.BytesIO()
    doc.write(buf)
    return buf.getvalue()


def _csv_text(value: Cell) -> str:
    """A cell as Excel's "save as CSV" writes it: what the General format displays."""
    if value is None:
        return ""
    if isinstance(value, float) and abs(value) >= 1e11:
        return f"{value:.5E}"  # an 18-digit ID shows as 5.00107E+17
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _write_csv(rows: Rows, encoding: str) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf)  # Excel's dialect: commas, CRLF, every row as wide as the sheet
    for row in _padded(rows):
        writer.writerow([_csv_text(v) for v in row])
    return buf.getvalue().encode(encoding)


def write_csv_gbk(rows: Rows) -> bytes:
    """CSV as Excel and WPS save it on Chinese Windows: GBK."""
    return _write_csv(rows, "gbk")


def write_csv_bom(rows: Rows) -> bytes:
    """CSV as "CSV UTF-8" in Excel saves it: UTF-8 with a byte-order mark."""
    return _write_csv(rows, "utf-8-sig")


WRITERS: dict[str, tuple[Callable[[Rows], bytes], str]] = {  # name -> (writer, format read)
    "xlsx": (write_xlsx, "xlsx"),
    "xls": (write_xls, "xls"),
    "ods": (write_ods, "ods"),
    "csv-gbk": (write_csv_gbk, "csv"),
    "csv-utf8-bom": (write_csv_bom, "csv"),
}


# --- running and checking --------------------------------------------------------------


def import_rows(rows: Rows, actor: User, fmt: str = "xlsx", **kw: Any) -> ImportResult:
    return run_import("volunteers", io.BytesIO(WRITERS[fmt][0](rows)), actor=actor, **kw)


def counts() -> tuple[int, int, int]:
    return (Person.objects.unscoped().count(), Volunteer.objects.unscoped().count(),
            Membership.objects.unscoped().count())


def error_map(result: ImportResult) -> dict[tuple[int, str], tuple[str, str]]:
    return {(e.row, e.column): (e.zh, e.en) for e in result.errors}


def assert_faults_reported(result: ImportResult) -> None:
    """Exactly the faulty rows, each under the right column, each saying why."""
    errors = error_map(result)
    assert set(errors) == {(f.row, f.column) for f in FAULTS}, result.errors
    assert len(result.errors) == result.error_count == len(FAULTS)
    for f in FAULTS:
        zh, en = errors[(f.row, f.column)]
        assert f.zh in zh and f.en in en, (f, zh, en)


def volunteer(name: str) -> Volunteer:
    return Volunteer.objects.unscoped().select_related("person", "region").get(
        person__name=name)


def assert_good_rows_stored() -> None:
    """Every good row is a volunteer in the right community and team, with clean values."""
    for g in GOOD:
        v = volunteer(g.name)  # the stray spaces around "刘洋" are gone
        assert v.person.id_number == g.id_number  # the full-width ID is stored as ASCII
        assert v.person.phone == g.phone  # spaces inside the phone removed
        assert v.region.code == g.community
        assert v.join_date == g.join_date  # the serial 45366 is 2024-03-15
        teams = set(Membership.objects.unscoped().filter(volunteer=v).values_list(
            "team__path", flat=True))
        assert teams == ({g.team} if g.team else set())
    faulty_names = ["王静", "杨丽", "黄强", "周磊"]
    assert not Person.objects.unscoped().filter(name_bidx__in=[name_index(n) for n in faulty_names]).exists()


# --- the acceptance point --------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_real_roster_valid_rows_are_imported_faulty_rows_reported(vw: VWorld, fmt: str) -> None:
    before = counts()
    result = import_rows(roster(), vw.users["street"], fmt, valid_only=True)
    assert result.format == WRITERS[fmt][1]
    assert result.header_row == HEADER_ROW
    assert {m["header"]: m["field"] for m in result.mapping} == {
        "序号": None, "姓名": "name", "身份证号码": "id_number", "联系电话": "phone",
        "所属社区": "community", "所属队伍": "team", "加入日期": "join_date"}
    assert [m["column"] for m in result.mapping] == list("ABCDEFG")
    assert_faults_reported(result)
    if result.format == "csv":  # the float shows through a CSV as 5.00107E+17
        assert "科学计数法" in error_map(result)[(9, "身份证号")][0]
    assert (result.total, result.valid, result.imported, result.skipped) == (8, 4, 4, 0)
    assert counts() == (before[0] + 4, before[1] + 4, before[2] + 3)
    assert_good_rows_stored()


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_real_roster_with_faults_writes_nothing_by_default(vw: VWorld, fmt: str) -> None:
    """All-or-nothing: the same errors, and not one of the good rows written."""
    before = counts()
    result = import_rows(roster(), vw.users["street"], fmt)
    assert_faults_reported(result)
    assert (result.total, result.valid, result.imported) == (8, 4, 0)
    assert counts() == before
    assert not Person.objects.unscoped().filter(name_bidx__in=[name_index(g.name) for g in GOOD]).exists()


def test_dry_run_reports_the_same_and_writes_nothing(vw: VWorld) -> None:
    before = counts()
    result = import_rows(roster(), vw.users["street"], "csv-gbk", dry_run=True)
    assert_faults_reported(result)
    assert (result.valid, result.imported) == (4, 0) and counts() == before


@pytest.mark.parametrize("fmt", ["xlsx", "csv-gbk"])
def test_rerun_adds_nothing_and_says_so_per_row(vw: VWorld, fmt: str) -> None:
    street = vw.users["street"]
    first = import_rows(good_only(), street, fmt)
    assert first.ok and first.imported == len(GOOD)
    after_first = counts()
    squad_members = Team.objects.unscoped().get(pk=vw.squad_a.pk).members
    second = import_rows(good_only(), street, fmt)
    assert second.ok and (second.imported, second.skipped) == (0, len(GOOD))
    assert counts() == after_first
    assert Team.objects.unscoped().get(pk=vw.squad_a.pk).members == squad_members
    assert sorted(n.row for n in second.notices) == [g.row for g in GOOD]
    for notice in second.notices:
        assert notice.column == "身份证号"
        assert "未重复导入" in notice.zh and "not imported again" in notice.en


# --- communities by name ---------------------------------------------------------------


def _name(n: int) -> str:
    return "志愿者" + "甲乙丙丁戊己庚辛"[n % 8]


def _row(n: int, community: str, team: str | None = None) -> list[Cell]:
    """A good row numbered ``n`` naming ``community`` (and ``team``) as written."""
    return [n, _name(n), person_id(100 + n), f"139000001{n:02d}", community, team, TEXT_DATE]


@pytest.fixture
def twin(vw: VWorld) -> Region:
    """A second 杨坪社区, in 黄桷坪街道: same name, another street, same district."""
    return region_create(actor=vw.root, code="500107002002", name="杨坪社区",
                         kind="community", parent=vw.street_b)


def test_ambiguous_community_name_lists_its_candidates(vw: VWorld, twin: Region) -> None:
    rows = with_rows([
        _row(1, "杨坪社区"),  # row 4: two of that name in the admin's district
        _row(2, "黄桷坪街道杨坪社区"),  # row 5: the street says which
        _row(3, "杨家坪街道/杨坪社区"),  # row 6: the other one, with a separator
        _row(4, "杨坪社区居委会"),  # row 7: the suffix does not make it unique
        _row(5, "不存在社区"),  # row 8
    ])
    result = import_rows(rows, vw.users["admin"], valid_only=True)
    errors = error_map(result)
    assert set(errors) == {(4, "社区代码"), (7, "社区代码"), (8, "社区代码")}
    for row in (4, 7):
        zh, en = errors[(row, "社区代码")]
        assert "多个同名" in zh and "matches several" in en
        for candidate in ("杨家坪街道杨坪社区(500107001001)", "黄桷坪街道杨坪社区(500107002002)"):
            assert candidate in zh and candidate in en
    zh, en = errors[(8, "社区代码")]
    assert "不存在或不在您的管辖范围" in zh and "does not exist or is outside your area" in en
    assert result.imported == 2
    assert volunteer(_name(2)).region == twin
    assert volunteer(_name(3)).region == vw.community_a


def test_ambiguous_name_carries_its_code(vw: VWorld, twin: Region) -> None:
    """The row error's reason comes from an error coded ``ambiguous_name``."""
    lookup = RegionLookup(vw.users["admin"], access.MANAGE,
                          (RegionLevel.COMMUNITY, RegionLevel.GRID), "community")
    with pytest.raises(ValidationFailed) as exc:
        lookup.get("杨坪社区")
    assert exc.value.code == "ambiguous_name" and exc.value.field == "community"
    assert lookup.get("黄桷坪街道杨坪社区") == twin


def test_community_outside_the_area_reads_like_an_unknown_one(vw: VWorld) -> None:
    """A community worker naming the neighbouring community learns nothing about it."""
    outside, unknown = vw.community_b, "无此社区"
    rows = with_rows([
        _row(1, outside.name),  # 西郊社区: exists, but not staff_a's
        _row(2, unknown),
        _row(3, outside.code),
        _row(4, "500107009009"),
        _row(5, vw.community_a.name),  # their own: fine
    ])
    result = import_rows(rows, vw.users["staff_a"], valid_only=True)
    errors = error_map(result)
    assert set(errors) == {(r, "社区代码") for r in (4, 5, 6, 7)}
    by_name = [tuple(m.replace(outside.name, "…") for m in errors[(4, "社区代码")]),
               tuple(m.replace(unknown, "…") for m in errors[(5, "社区代码")])]
    assert by_name[0] == by_name[1]
    by_code = [tuple(m.replace(outside.code, "…") for m in errors[(6, "社区代码")]),
               tuple(m.replace("500107009009", "…") for m in errors[(7, "社区代码")])]
    assert by_code[0] == by_code[1]
    assert result.imported == 1


# --- headers the importer cannot place ----------------------------------------------


def test_unrecognised_header_is_refused_then_imported_with_a_mapping(vw: VWorld) -> None:
    headers = ["序号", "姓名", "证号X", "联系电话", "所属社区", "所属队伍", "加入日期"]
    rows = with_rows(good_only()[3:], headers)
    street = vw.users["street"]
    with pytest.raises(MissingColumns) as exc:
        import_rows(rows, street)
    assert exc.value.code == "missing_columns"
    assert exc.value.header.row == HEADER_ROW
    assert [c.key for c in exc.value.header.missing] == ["id_number"]
    assert not Person.objects.unscoped().filter(name="陈伟").exists()
    # What the column-mapping page sends: the recognised columns plus the user's choice.
    mapping = {**exc.value.header.chosen(), "id_number": normal("证号X")}
    result = import_rows(rows, street, mapping=mapping)
    assert result.ok and result.imported == len(GOOD)
    assert next(m for m in result.mapping if m["header"] == "证号X")["field"] == "id_number"
    assert_good_rows_stored()


# --- digits of other scripts -----------------------------------------------------------

SCRIPTS = {
    "arabic-indic": "٠١٢٣٤٥٦٧٨٩",
    "extended-arabic-indic": "۰۱۲۳۴۵۶۷۸۹",
    "devanagari": "०१२३४५६७८९",
}


@pytest.mark.parametrize("fmt", ["xlsx", "csv-utf8-bom"])
@pytest.mark.parametrize("script", list(SCRIPTS))
def test_id_in_another_digit_script_is_refused(vw: VWorld, script: str, fmt: str) -> None:
    """These pass str.isdigit() and survive NFKC; they must not become a stored ID."""
    ascii_id = person_id(31)
    foreign = ascii_id.translate(str.maketrans("0123456789", SCRIPTS[script]))
    rows = with_rows([[1, "马超", foreign, "13912345631", "杨坪社区", None, TEXT_DATE]])
    result = import_rows(rows, vw.users["street"], fmt, valid_only=True)
    assert [(e.row, e.column) for e in result.errors] == [(4, "身份证号")]
    zh, en = error_map(result)[(4, "身份证号")]
    assert "数字" in zh and "digits of other scripts" in en
    assert result.imported == 0 and not Person.objects.unscoped().filter(name="马超").exists()
    with pytest.raises(ValidationFailed) as exc:
        normalize_id_number(foreign)
    assert exc.value.code == "not_ascii"


# --- a phone typed into a General cell is a number, stored exactly --------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "xls", "ods"])
def test_phone_stored_as_a_number_is_accepted(vw: VWorld, fmt: str) -> None:
    rows = with_rows([[1, "马超", person_id(41), 13912345641, "杨坪社区", None, TEXT_DATE]])
    result = import_rows(rows, vw.users["street"], fmt)
    assert result.ok, result.errors
    assert volunteer("马超").person.phone == "13912345641"
