"""Roster import on the shared pipeline: all-or-nothing, row errors, dry run, valid-only."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from wushe.audit.models import AuditEvent
from wushe.core.excel import run_import, template_bytes
from wushe.people.models import Consent, Person
from wushe.volunteers.models import Membership, Team, Volunteer
from wushe.volunteers.numbers import is_volunteer_number
from wushe.volunteers.tests.factories import VWorld, child_idn, idn
from wushe.volunteers.tests.roster import rows, workbook


def _import(vw: VWorld, data: list[list[object]], actor: str = "admin", **kw: bool):  # type: ignore[no-untyped-def]
    return run_import("volunteers", io.BytesIO(workbook(data)), actor=vw.users[actor], **kw)


def _row(name: str, id_number: object, community: str = "500107001001",
         team: str = "000100010001", **extra: object) -> list[object]:
    row: list[object] = [name, id_number, "13800000000", community, team, "急救", "助老", "周末",
                         "2024-05-01", "", "", ""]
    for i, key in enumerate(("guardian_name", "guardian_id", "relation"), start=9):
        if key in extra:
            row[i] = extra[key]
    return row


def counts() -> tuple[int, int, int, int]:
    return (Person.objects.unscoped().count(), Volunteer.objects.unscoped().count(),
            Consent.objects.unscoped().count(), Membership.objects.unscoped().count())


def test_template_has_the_bilingual_columns() -> None:
    ws = load_workbook(io.BytesIO(template_bytes("volunteers"))).active
    header = [c.value for c in ws[1]]
    assert header[:4] == ["姓名", "身份证号", "手机号", "社区代码"] and "队伍编码" in header


def test_valid_roster_is_imported_with_consents_and_memberships(vw: VWorld) -> None:
    before = counts()
    result = _import(vw, list(rows(30, "500107001001", "000100010001")))
    assert result.ok and result.imported == 30
    assert counts() == (before[0] + 30, before[1] + 30, before[2] + 30, before[3] + 30)
    assert Team.objects.unscoped().get(pk=vw.squad_a.pk).members == 32
    v = Volunteer.objects.unscoped().order_by("-id").first()
    assert v is not None and v.skill_list == ["急救", "摄影"] and v.interest_list == [
        "elderly", "visits"]
    assert v.number.startswith("ZY500107")
    numbers = list(Volunteer.objects.unscoped().values_list("number", flat=True))
    assert len(set(numbers)) == len(numbers)
    assert all(is_volunteer_number(n) for n in numbers)
    ev = AuditEvent.objects.unscoped().get(action="volunteers.volunteer.imported")
    assert ev.data["volunteers"] == 30


def test_any_bad_row_writes_nothing_and_reports_row_and_column(vw: VWorld) -> None:
    data = [
        _row("张三", idn("19800101", "501")),
        _row("李四", 5.00107198001015e17),  # Excel turned it into a float
        _row("王五", "500107198001015019"),  # wrong check digit
        _row("赵六", idn("19800101", "501")),  # twice in the file
        _row("钱七", idn("19800101", "502"), community="500107009009"),  # unknown community
        _row("孙八", child_idn("503")),  # under 14, no guardian
        _row("周九", idn("19800101", "504"), team="000100020001", community="500107002001"),
    ]
    before = counts()
    result = _import(vw, data, actor="leader_det_a")
    assert counts() == before
    assert result.imported == 0 and result.error_count == 6
    by_row = {e.row: e for e in result.errors}
    assert by_row[3].column == "身份证号" and "Excel" in by_row[3].en
    assert by_row[4].column == "身份证号" and "check digit" in by_row[4].en
    assert "twice" in by_row[5].en
    assert by_row[6].column == "社区代码"
    assert by_row[7].column == "监护人姓名"
    assert by_row[8].column == "队伍编码"  # another street's squad: not this leader's


def test_valid_only_writes_the_good_rows(vw: VWorld) -> None:
    data = [_row("张三", idn("19800101", "601")), _row("李四", "bad")]
    result = _import(vw, data, valid_only=True)
    assert (result.imported, result.error_count) == (1, 1)


def test_dry_run_writes_nothing(vw: VWorld) -> None:
    before = counts()
    result = _import(vw, list(rows(5, "500107001001", "000100010001")), dry_run=True)
    assert result.valid == 5 and result.imported == 0 and counts() == before


def test_existing_volunteer_joins_the_rows_team(vw: VWorld) -> None:
    a1 = vw.volunteers["a1"]
    result = _import(vw, [_row("王小花", idn("19900101", "101"), community="500107001002",
                               team="000100010002")])
    assert result.imported == 1
    assert Volunteer.objects.unscoped().count() == 4
    assert Membership.objects.unscoped().filter(volunteer=a1, team=vw.squad_a2).exists()


def test_guardian_and_full_width_digits(vw: VWorld) -> None:
    full = idn("19800101", "701").translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    data = [_row("全角", full),
            _row("陈小雨", child_idn("702"), guardian_name="陈大海",
                 guardian_id=idn("19800303", "703"), relation="父亲")]
    result = _import(vw, data)
    assert result.ok, result.errors
    child = Volunteer.objects.unscoped().select_related("consent__guardian").get(
        person__name="陈小雨")
    assert child.consent is not None and child.consent.guardian is not None
    assert child.consent.guardian.name == "陈大海"
    assert Person.objects.unscoped().filter(name="全角").get().id_number == idn("19800101", "701")


def test_queries_do_not_grow_with_rows(vw: VWorld) -> None:
    with CaptureQueriesContext(connection) as small:
        _import(vw, list(rows(20, "500107001001", "000100010001")))
    with CaptureQueriesContext(connection) as large:
        _import(vw, list(rows(400, "500107001001", "000100010001", start=1000)))
    assert len(large) <= len(small) + 4, (len(small), len(large))


def test_command_exits_non_zero_when_nothing_was_imported(vw: VWorld, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    workbook([_row("李四", 5.00107198001015e17)], bad)
    with pytest.raises(SystemExit) as exc:
        call_command("import", "volunteers", str(bad), "--user", "admin")
    assert exc.value.code == 1
    good = tmp_path / "good.xlsx"
    workbook(list(rows(3, "500107001001", "000100010001")), good)
    call_command("import", "volunteers", str(good), "--user", "admin")
    assert Volunteer.objects.unscoped().count() == 7
