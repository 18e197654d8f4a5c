"""The shared Excel pipeline, exercised through the person roster import."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from wushe.audit.models import AuditEvent
from wushe.core.errors import ValidationFailed
from wushe.core.excel import errors_bytes, run_import, template_bytes
from wushe.people.models import Person

GOOD_ID = "11010519491231002X"
OTHER_ID = "440524198001010013"


def xlsx(rows, headers=("姓名", "身份证号", "手机号", "住址", "社区代码")) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(list(headers))
    for r in rows:
        ws.append(list(r))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_all_or_nothing_by_default(staff_a, community_a):
    f = xlsx([["张三", GOOD_ID, "13912345678", "", community_a.code],
              ["李四", "110105194912310021", "", "", community_a.code]])
    result = run_import("people", f, actor=staff_a)
    assert (result.total, result.valid, result.imported, result.error_count) == (2, 1, 0, 1)
    err = result.errors[0]
    assert (err.row, err.column) == (3, "身份证号")
    assert "校验位" in err.zh and "check digit" in err.en
    assert Person.objects.unscoped().count() == 0


def test_valid_only_writes_the_good_rows_and_one_audit_event(staff_a, community_a):
    f = xlsx([["张三", GOOD_ID, "13912345678", "", community_a.code],
              ["<script>x</script>", "", "", "", community_a.code]])
    result = run_import("people", f, actor=staff_a, valid_only=True)
    assert result.imported == 1
    p = Person.objects.unscoped().get()
    assert p.id_number == GOOD_ID and p.region_path == community_a.path
    assert AuditEvent.objects.unscoped().filter(action="people.person.imported").count() == 1


def test_dry_run_writes_nothing(staff_a, community_a):
    result = run_import("people", xlsx([["张三", GOOD_ID, "", "", community_a.code]]),
                        actor=staff_a, dry_run=True)
    assert result.valid == 1 and result.imported == 0
    assert Person.objects.unscoped().count() == 0


def test_excel_float_ids_full_width_and_duplicates(staff_a, community_a):
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in OTHER_ID)
    f = xlsx([["甲", 5.10107199001011e17, "", "", community_a.code],
              ["乙", 510107199001011234, "", "", community_a.code],
              ["丙", full_width, "", "", community_a.code],
              ["丁", OTHER_ID, "", "", community_a.code]])
    result = run_import("people", f, actor=staff_a)
    codes = [(e.row, e.en) for e in result.errors]
    assert codes[0][0] == 2 and "Excel" in codes[0][1]
    assert codes[1][0] == 3 and "Excel" in codes[1][1]
    assert codes[2][0] == 5 and "twice" in codes[2][1]
    assert result.valid == 1  # the full-width row was normalised and accepted


def test_out_of_scope_community_is_an_error_not_a_leak(staff_a, community_b):
    result = run_import("people", xlsx([["张三", "", "", "", community_b.code]]), actor=staff_a)
    assert result.errors[0].column == "社区代码"
    assert "outside your area" in result.errors[0].en


def test_missing_columns_and_non_xlsx_are_refused(staff_a):
    with pytest.raises(ValidationFailed) as exc:
        run_import("people", xlsx([["x"]], headers=("备注",)), actor=staff_a)
    assert exc.value.code == "missing_columns"
    with pytest.raises(ValidationFailed) as exc:  # text is read as a CSV, without the columns
        run_import("people", io.BytesIO(b"not a workbook"), actor=staff_a)
    assert exc.value.code == "missing_columns"
    with pytest.raises(ValidationFailed) as exc:  # binary that is no workbook
        run_import("people", io.BytesIO(b"\x00\x01PK not a workbook"), actor=staff_a)
    assert exc.value.code == "not_spreadsheet"
    with pytest.raises(ValidationFailed) as exc:  # a zip that is no workbook
        run_import("people", io.BytesIO(b"PK\x03\x04" + b"\x00" * 100), actor=staff_a)
    assert exc.value.code == "not_spreadsheet"


def test_template_and_error_report_are_real_workbooks(staff_a, community_a):
    wb = load_workbook(io.BytesIO(template_bytes("people")))
    assert [c.value for c in wb.active[1]][:2] == ["姓名", "身份证号"]
    result = run_import("people", xlsx([["李四", "123", "", "", community_a.code]]), actor=staff_a)
    report = load_workbook(io.BytesIO(errors_bytes(result)))
    assert report.active.cell(2, 1).value == 2


def test_cli_exits_non_zero_when_nothing_imported(tmp_path, community_a, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx([["李四", "123", "", "", community_a.code]]).getvalue())
    with pytest.raises(SystemExit) as exc:
        call_command("import", "people", str(path))
    assert exc.value.code == 1
    good = tmp_path / "good.xlsx"
    good.write_bytes(xlsx([["张三", GOOD_ID, "", "", community_a.code]]).getvalue())
    call_command("import", "people", str(good), "--dry-run")
    assert '"valid": 1' in capsys.readouterr().out
    assert Person.objects.unscoped().count() == 0
    call_command("import", "people", str(good))
    assert Person.objects.unscoped().count() == 1
