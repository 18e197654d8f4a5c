"""Care rosters and hardship ledgers from the spreadsheets a community already keeps: header
found below a merged title, synonyms, the community by name, faulty rows refused by row number,
a rerun that adds nothing and says so per row, scope, and the import pages."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from django.db import connection
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from wushe.audit.models import AuditEvent
from wushe.conftest import make_id_number
from wushe.core.excel import ImportResult, run_import
from wushe.people.models import Person
from wushe.people.services import person_create
from wushe.residents import services
from wushe.residents.importers import TAG_WORDS, CareProfileImporter, LedgerEntryImporter
from wushe.residents.models import CARE_TAGS, CareProfile, LedgerEntry

CARE_HEADERS = ["序号", "老人姓名", "公民身份号码", "联系电话", "所属社区", "人员类别", "困难类型",
                "风险等级", "基本情况", "走访日期"]
NEW_ID = make_id_number(birth="19450302", seq="222")
FULL_WIDTH = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def roster(headers: list[str], rows: list[list[Any]], title: str = "") -> bytes:
    """An .xlsx as a community makes it: a merged title row above the headers."""
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def run(kind: str, content: bytes, actor: Any, **kw: Any) -> ImportResult:
    return run_import(kind, io.BytesIO(content), actor=actor, **kw)


def care_rows(elder: Any, child: Any) -> list[list[Any]]:
    """Rows 3-9 of the roster (row 1 the title, row 2 the headers)."""
    return [
        [1, "陈大海", elder.id_number, "", "杨坪社区", "一老", "空巢、独居", "高", "独居,患高血压",
         dt.date(2024, 5, 1)],
        [2],  # a row with only its serial number: blank
        [],  # a blank row
        [3, "王秀英", NEW_ID.translate(FULL_WIDTH), "13900139000", "杨家坪街道杨坪社区", "老年人",
         "高龄/失能", "中", "", "2024/6/1"],
        [4, "陈小雨", child.id_number, "", "杨坪社区居委会", "一小", "留守儿童", "低", "", None],
        [5, "王秀英", NEW_ID, "", "杨坪社区", "困难群众", "低保 残疾", "", "", None],
        [6, "陈大海", elder.id_number, "", "500107001001", "一困(困难群众)", "低保,大病", "", "", None],
    ]


FAULTY = [
    [7, "李四", make_id_number(seq="333")[:-1] + "0", "", "杨坪社区", "一老", "", "", "", None],
    [8, "张三", make_id_number(birth="19420101", seq="444"), "", "杨坪社区", "一老", "爱跳舞", "",
     "", None],
    [9, "陈大海", make_id_number(birth="19400101", seq="123"), "", "杨坪社区", "老年人", "", "", "",
     None],  # 陈大海 (the elder fixture) again
    [10, "赵六", make_id_number(birth="19430101", seq="555"), "", "杨坪社区", "一老", "留守儿童",
     "", "", None],
]


def test_every_sub_tag_has_the_words_rosters_use() -> None:
    assert set(TAG_WORDS) == set(CARE_TAGS)


def test_care_roster_refuses_exactly_the_faulty_rows(staff_a: Any, elder: Any,
                                                     child: Any) -> None:
    content = roster(CARE_HEADERS, care_rows(elder, child) + FAULTY, title="杨坪社区关爱对象名册")
    result = run("care-profiles", content, staff_a)
    assert result.header_row == 2 and result.total == 9  # the two blank rows are left out
    errors = {e.row: (e.column, e.zh) for e in result.errors}
    assert set(errors) == {10, 11, 12, 13}, result.as_dict()
    assert errors[10][0] == "身份证号" and "校验位" in errors[10][1]
    assert errors[11] == ("标签", "未知的标签 爱跳舞")
    assert errors[12][0] == "身份证号" and "重复" in errors[12][1]
    assert errors[13] == ("标签", "标签与对象类别不符")
    # All-or-nothing by default: nothing written while a row fails.
    assert result.imported == 0 and not CareProfile.objects.unscoped().exists()
    assert not Person.objects.unscoped().filter(name="王秀英").exists()


def test_care_roster_imports_and_a_rerun_adds_nothing(staff_a: Any, elder: Any, child: Any,
                                                      community_a: Any) -> None:
    content = roster(CARE_HEADERS, care_rows(elder, child), title="杨坪社区关爱对象名册")
    dry = run("care-profiles", content, staff_a, dry_run=True)
    assert dry.ok and dry.valid == 5 and dry.imported == 0, dry.as_dict()
    assert {m["header"]: m["field"] for m in dry.mapping}["所属社区"] == "community"

    first = run("care-profiles", content, staff_a)
    assert first.ok and first.imported == 5 and first.skipped == 0, first.as_dict()
    new = Person.objects.unscoped().get(name="王秀英")
    assert new.region_id == community_a.pk and new.id_number == NEW_ID
    assert new.birth_date == dt.date(1945, 3, 2) and new.phone == "13900139000"
    profiles = {(p.person.name, p.target_group): p
                for p in CareProfile.objects.unscoped().select_related("person")}
    assert set(profiles) == {("陈大海", "elderly"), ("陈大海", "hardship"), ("王秀英", "elderly"),
                             ("王秀英", "hardship"), ("陈小雨", "minor")}
    old = profiles["陈大海", "elderly"]
    assert old.tag_list == ["empty_nest", "living_alone"] and old.risk_level == "high"
    assert old.last_visit_on == dt.date(2024, 5, 1) and old.details == "独居,患高血压"
    assert old.created_by == staff_a and old.region_id == community_a.pk
    assert profiles["王秀英", "elderly"].tag_list == ["advanced_age", "disabled_elderly"]
    assert profiles["王秀英", "elderly"].last_visit_on == dt.date(2024, 6, 1)
    assert profiles["王秀英", "hardship"].tag_list == ["dibao", "disability"]
    assert profiles["陈大海", "hardship"].tag_list == ["dibao", "serious_illness"]
    assert profiles["陈小雨", "minor"].is_minor
    with connection.cursor() as cursor:  # the situation is encrypted at rest
        cursor.execute("SELECT details FROM residents_careprofile WHERE id = %s", [old.pk])
        assert "高血压" not in cursor.fetchone()[0]
    events = AuditEvent.objects.unscoped().filter(action="residents.profile.imported")
    assert events.count() == 1 and events.get().data["rows"] == 5
    assert "高血压" not in str(events.get().data)
    assert AuditEvent.objects.unscoped().filter(action="people.person.imported").count() == 1

    again = run("care-profiles", content, staff_a)
    assert again.ok and again.imported == 0 and again.skipped == 5, again.as_dict()
    assert [n.row for n in again.notices] == [3, 6, 7, 8, 9]
    assert all("已有此类关爱档案" in n.zh for n in again.notices)
    assert CareProfile.objects.unscoped().count() == 5
    assert Person.objects.unscoped().filter(name="王秀英").count() == 1
    assert AuditEvent.objects.unscoped().filter(action="residents.profile.imported").count() == 1


def test_valid_only_writes_the_good_rows_and_the_rerun_skips_them(staff_a: Any, elder: Any,
                                                                  child: Any) -> None:
    content = roster(CARE_HEADERS, care_rows(elder, child) + FAULTY)
    first = run("care-profiles", content, staff_a, valid_only=True)
    assert first.imported == 5 and first.error_count == 4
    again = run("care-profiles", content, staff_a, valid_only=True)
    assert again.imported == 0 and again.skipped == 5 and again.error_count == 4
    assert [n.row for n in again.notices] == [2, 5, 6, 7, 8]


def test_another_communitys_staff_cannot_import_into_community_a(
        staff_b: Any, elder: Any, child: Any, community_a: Any) -> None:
    rows = [r for r in care_rows(elder, child) if len(r) > 1]
    result = run("care-profiles", roster(CARE_HEADERS, rows), staff_b)
    assert result.error_count == 5 and result.imported == 0
    assert {e.column for e in result.errors} == {"社区"}
    assert "不在您的管辖范围" in result.errors[0].zh
    assert not CareProfile.objects.unscoped().exists()
    assert not Person.objects.unscoped().filter(name="王秀英").exists()


def test_minors_rule_and_registered_names(staff_a: Any, elder: Any, child: Any) -> None:
    rows = [
        ["陈大海", elder.id_number, "杨坪社区", "一小"],  # an adult is no minor
        ["陈大明", elder.id_number, "杨坪社区", "一老"],  # not the name registered
        ["陈小雨", child.id_number, "杨坪社区", "一困"],  # a child: a minor's record anyway
    ]
    content = roster(["姓名", "身份证号", "社区", "类别"], rows)
    result = run("care-profiles", content, staff_a, valid_only=True)
    assert [(e.row, e.column) for e in result.errors] == [(2, "对象类别"), (3, "姓名")]
    assert CareProfile.objects.unscoped().get().is_minor


def test_ledger_roster(staff_a: Any, elder: Any, child: Any, community_a: Any) -> None:
    old = services.profile_create(actor=staff_a, person=elder, target_group="elderly")
    wang = person_create(actor=staff_a, region=community_a, name="王秀英", id_number=NEW_ID)
    services.profile_create(actor=staff_a, person=wang, target_group="elderly")
    services.profile_create(actor=staff_a, person=wang, target_group="hardship")
    nobody = person_create(actor=staff_a, region=community_a, name="刘无档",
                           id_number=make_id_number(birth="19460101", seq="666"))
    ledger = services.ledger_create(actor=staff_a, region=community_a, name="空巢老人台账",
                                    target_group="elderly")
    mixed = services.ledger_create(actor=staff_a, region=community_a, name="重点关注台账")
    services.ledger_add(actor=staff_a, ledger=ledger, profile=old)
    headers = ["台账", "姓名", "身份证号码", "社区名称", "备注"]
    rows = [
        ["空巢老人台账", "陈大海", elder.id_number, "杨坪社区", ""],  # already on it
        ["空巢老人台账", "王秀英", NEW_ID.translate(FULL_WIDTH), "杨坪社区", "每周电话问候"],
        ["空巢老人台账", "刘无档", nobody.id_number, "杨坪社区", ""],  # no care profile
        ["不存在的台账", "王秀英", NEW_ID, "杨坪社区", ""],
        ["重点关注台账", "王秀英", NEW_ID, "杨坪社区", ""],  # two open profiles: which one?
        ["空巢老人台账", "王秀英", NEW_ID, "", ""],  # twice in the file
    ]
    content = roster(headers, rows, title="特殊困难群体台账")
    result = run("ledger-entries", content, staff_a)
    errors = {e.row: e.column for e in result.errors}
    assert errors == {5: "身份证号", 6: "台账名称", 7: "对象类别", 8: "身份证号"}, result.as_dict()
    assert "没有您可见的在册关爱档案" in result.errors[0].zh
    assert [n.row for n in result.notices] == [3] and result.skipped == 1
    assert LedgerEntry.objects.unscoped().count() == 1  # nothing written

    written = run("ledger-entries", content, staff_a, valid_only=True)
    assert written.imported == 1 and written.skipped == 1
    entry = LedgerEntry.objects.unscoped().get(ledger=ledger, profile__person=wang)
    assert entry.note == "每周电话问候" and entry.added_by == staff_a
    event = AuditEvent.objects.unscoped().get(action="residents.ledger.imported")
    assert event.target_id == str(ledger.pk) and event.data["rows"] == 1
    assert not LedgerEntry.objects.unscoped().filter(ledger=mixed).exists()

    again = run("ledger-entries", content, staff_a, valid_only=True)
    assert again.imported == 0 and [n.row for n in again.notices] == [3, 4, 8]


def test_ledger_of_another_community_is_unknown(staff_b: Any, staff_a: Any, elder: Any,
                                               community_a: Any) -> None:
    services.profile_create(actor=staff_a, person=elder, target_group="elderly")
    services.ledger_create(actor=staff_a, region=community_a, name="空巢老人台账")
    content = roster(["台账名称", "姓名", "身份证号"], [["空巢老人台账", "陈大海", elder.id_number]])
    result = run("ledger-entries", content, staff_b)
    assert [(e.row, e.column) for e in result.errors] == [(2, "台账名称")]
    assert not LedgerEntry.objects.unscoped().exists()


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return client


def test_import_pages_and_templates(staff_a: Any, make_user: Any, community_a: Any,
                                    elder: Any, inline_jobs: Any) -> None:
    client = client_for(staff_a)
    assert reverse("residents:import") == "/residents/import"
    assert reverse("residents:ledger_import") == "/residents/ledgers/import"
    for list_url, url, importer in (
            (reverse("residents:list"), reverse("residents:import"), CareProfileImporter),
            (reverse("residents:ledgers"), reverse("residents:ledger_import"),
             LedgerEntryImporter)):
        listing = client.get(list_url).content.decode()
        assert f'href="{url}"' in listing and ">导入</a>" in listing
        page = client.get(url)
        assert page.status_code == 200 and importer.title_zh in page.content.decode()
        assert "跳过" in page.content.decode()  # the intro, translated
        template = client.get(url + "?template=1")
        assert template.status_code == 200
        sheet = load_workbook(io.BytesIO(template.content)).active
        assert [c.value for c in sheet[1]] == [c.zh for c in importer.columns]
    # The care template's example row imports as it stands (陈大海 of 杨坪社区).
    template = client.get(reverse("residents:import") + "?template=1").content
    upload = io.BytesIO(template)
    upload.name = "template.xlsx"
    response = client.post(reverse("residents:import"), {"file": upload, "dry_run": ""})
    assert response.status_code == 302
    assert CareProfile.objects.unscoped().get().person == elder

    reader = make_user("team_leader", community_a, "reader")  # residents.view only
    other = client_for(reader)
    for url in (reverse("residents:import"), reverse("residents:ledger_import")):
        assert other.get(url).status_code == 404
        assert other.get(url + "?template=1").status_code == 404
    assert reverse("residents:import") not in other.get(reverse("residents:list")).content.decode()
