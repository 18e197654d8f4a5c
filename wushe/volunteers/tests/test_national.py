"""The national volunteer service record export (volunteers/national.py): the rows of a team
subtree and period, the mapping's columns and formats, the purpose, masking and the unmask
log, the audit event, scope, and a broken mapping refused."""

from __future__ import annotations

import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from wushe.audit.models import AuditEvent, PiiAccess
from wushe.core import progress
from wushe.volunteers import national, services
from wushe.volunteers.audit_codes import VolunteerAction
from wushe.volunteers.models import ServiceRecord
from wushe.volunteers.tests.factories import VWorld, idn

URL = "/api/v1/volunteers/national-records/export"
PURPOSE = {"purpose": "national_upload", "purpose_text": "年度上报全国志愿服务信息系统"}


def _period(days: int = 30) -> dict[str, str]:
    today = timezone.localdate()
    return {"date_from": (today - dt.timedelta(days=days)).isoformat(),
            "date_to": today.isoformat()}


def _confirmed(vw: VWorld, key: str, team: Any, hours: str, days: int = 2) -> ServiceRecord:
    record = vw.record(vw.volunteers[key], team, hours, start_hours_ago=3, days=days)
    services.records_confirm(actor=vw.root, records=[record])
    record.refresh_from_db()
    return record


@pytest.fixture
def recs(vw: VWorld) -> dict[str, ServiceRecord]:
    return {
        "a1": _confirmed(vw, "a1", vw.squad_a, "2.25"),
        "a2b": _confirmed(vw, "a2b", vw.squad_a2, "1.5"),
        "b1": _confirmed(vw, "b1", vw.squad_b, "3"),  # another street's team
        "a1_old": _confirmed(vw, "a1", vw.squad_a, "1", days=60),  # before the period
        "a2_pending": vw.record(vw.volunteers["a2"], vw.squad_a, "2", start_hours_ago=3,
                                days=3),
    }


def _export(vw: VWorld, username: str, team: Any, **extra: Any) -> Any:
    body = {"team_id": team.pk, **_period(), **PURPOSE, **extra}
    return vw.client(username).post(URL, json.dumps(body), content_type="application/json")


def _sheets(vw: VWorld, username: str, response: Any) -> tuple[list[list[Any]], list[list[Any]]]:
    assert response.status_code == 202, response.content
    job = response.json()
    assert job["status"] == "done", job  # the tests' task backend runs the job inline
    got = vw.client(username).get(f"/api/v1/exports/{job['id']}/file")
    assert got.status_code == 200
    wb = load_workbook(io.BytesIO(got.getvalue()), read_only=True)
    data, notes = (list(list(r) for r in ws.iter_rows(values_only=True)) for ws in wb.worksheets)
    return data, notes


def _col(data: list[list[Any]], header: str) -> list[Any]:
    i = data[0].index(header)
    return [row[i] for row in data[1:]]


def test_rows_are_the_confirmed_records_of_the_team_subtree_in_the_period(
        vw: VWorld, recs: dict[str, ServiceRecord], inline_jobs: Any) -> None:
    data, _notes = _sheets(vw, "street", _export(vw, "street", vw.det_a))
    assert data[0] == [c.header for c in national.load_mapping().columns]
    # a1 in squad_a and a2b in squad_a2, both below det_a; not the other street's team, not
    # the record before the period, not the pending one
    assert sorted(_col(data, "记录编号")) == sorted([str(recs["a1"].pk), str(recs["a2b"].pk)])
    row = dict(zip(data[0], data[1 + _col(data, "记录编号").index(str(recs["a1"].pk))],
                   strict=True))
    assert row["志愿者姓名"] == "王小花"
    assert row["证件号码"] == idn("19900101", "101")  # street staff may unmask, purpose stated
    assert row["记录单位(志愿服务组织)"] == vw.corps.name
    assert row["记录队伍"] == vw.squad_a.name
    assert row["服务日期"] == recs["a1"].service_date.strftime("%Y-%m-%d")
    assert row["服务内容"] == "上门慰问空巢老人"
    assert row["服务时长(小时)"] == 2.3  # 2.25 with one decimal, half up
    assert row["确认人"] == "root"
    assert row["确认时间"] == timezone.localtime(recs["a1"].decided_at).strftime("%Y-%m-%d %H:%M")


def test_columns_follow_the_mapping_file_in_its_order(
        vw: VWorld, recs: dict[str, ServiceRecord], inline_jobs: Any, settings: Any,
        tmp_path: Path) -> None:
    mapping = tmp_path / "cols.json"
    mapping.write_text(json.dumps({"sheet": "记录", "columns": [
        {"header": "时长", "source": "record.hours", "format": "hours"},
        {"header": "日期", "source": "record.service_date", "format": "date",
         "date_format": "%Y年%m月%d日"},
        {"header": "编号", "source": "volunteer.number"},
    ]}), encoding="utf-8")
    settings.WUSHE_NATIONAL_VOLUNTEER_COLUMNS = str(mapping)
    data, _notes = _sheets(vw, "leader_a", _export(vw, "leader_a", vw.squad_a))
    assert data == [["时长", "日期", "编号"],
                    [2.3, recs["a1"].service_date.strftime("%Y年%m月%d日"),
                     vw.volunteers["a1"].number]]


def test_hours_are_a_decimal_with_one_place() -> None:
    column = national.Column("h", "record.hours", "hours")
    assert national._fmt_hours(Decimal("1.25"), column) == Decimal("1.3")
    assert national._fmt_hours(Decimal("24.00"), column) == Decimal("24.0")


def test_the_purpose_is_required_and_nothing_is_queued_without_it(
        vw: VWorld, recs: dict[str, ServiceRecord], inline_jobs: Any) -> None:
    before = AuditEvent.objects.unscoped().count()
    for extra, code in (({"purpose": ""}, "purpose_required"),
                        ({"purpose": "gossip"}, "purpose_required"),
                        ({"purpose_text": ""}, "required"),
                        ({"purpose_text": "看看"}, "purpose_too_short")):
        refused = _export(vw, "street", vw.det_a, **extra)
        assert refused.status_code == 400
        body = refused.json()
        assert body["code"] == code and body["message"]["zh"] and body["message"]["en"]
    bad_dates = _export(vw, "street", vw.det_a, date_from="2026-02-30")
    assert bad_dates.status_code == 400 and bad_dates.json()["code"] == "invalid"
    assert not any(progress.jobs_dir().iterdir())
    assert AuditEvent.objects.unscoped().count() == before
    assert not PiiAccess.objects.unscoped().exists()


def test_without_the_unmask_permission_id_numbers_are_masked_and_the_file_says_so(
        vw: VWorld, recs: dict[str, ServiceRecord], inline_jobs: Any) -> None:
    response = _export(vw, "leader_a", vw.squad_a)  # a team leader: no people.unmask
    assert response.json()["id_numbers"] == "masked"
    data, notes = _sheets(vw, "leader_a", response)
    numbers = _col(data, "证件号码")
    assert numbers and all("*" in n and n != idn("19900101", "101") for n in numbers)
    assert ["证件号码", "全部已脱敏:无查看身份证号的权限"] in notes
    assert not PiiAccess.objects.unscoped().exists()
    event = AuditEvent.objects.unscoped().get(action=VolunteerAction.NATIONAL_EXPORTED)
    assert event.data["people_unmasked"] == 0 and event.data["people_masked"] == 1


def test_each_person_unmasked_is_logged_with_the_purpose_and_the_export_audited(
        vw: VWorld, recs: dict[str, ServiceRecord], inline_jobs: Any) -> None:
    response = _export(vw, "street", vw.det_a)
    assert response.json()["id_numbers"] == "unmasked"
    _sheets(vw, "street", response)
    logged = PiiAccess.objects.unscoped().filter(actor=vw.users["street"])
    assert sorted(int(p.subject_id) for p in logged) == sorted(
        [vw.volunteers["a1"].person_id, vw.volunteers["a2b"].person_id])  # once per person
    assert {(p.subject_type, p.field, p.purpose) for p in logged} == {
        ("people.person", "id_number", "national_upload: 年度上报全国志愿服务信息系统")}
    event = AuditEvent.objects.unscoped().get(action=VolunteerAction.NATIONAL_EXPORTED)
    assert event.actor == vw.users["street"] and event.target_id == str(vw.det_a.pk)
    assert event.data["rows"] == 2 and event.data["people_unmasked"] == 2
    assert event.data["purpose"] == "national_upload"
    assert event.data["date_from"] == _period()["date_from"]
    text = json.dumps(event.data, ensure_ascii=False)
    for key in ("a1", "a2b"):  # the filter and the purpose, never a number
        number = vw.volunteers[key].person.id_number
        assert number and number not in text


def test_another_streets_team_is_not_found_like_a_missing_one(
        vw: VWorld, recs: dict[str, ServiceRecord], inline_jobs: Any) -> None:
    other = _export(vw, "street", vw.det_b)
    missing = _export(vw, "street", vw.det_b, team_id=999999)
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert _export(vw, "leader_a", vw.squad_a2).status_code == 404  # a sibling squad
    assert not any(progress.jobs_dir().iterdir())
    assert not AuditEvent.objects.unscoped().filter(action=VolunteerAction.NATIONAL_EXPORTED).exists()


def test_a_job_rechecks_scope_in_the_worker(
        vw: VWorld, recs: dict[str, ServiceRecord], held_jobs: Any) -> None:
    from wushe.accounts.models import RoleGrant

    response = _export(vw, "leader_a", vw.squad_a)
    job_id = response.json()["id"]
    assert response.json()["status"] == "running"  # waits for a worker
    RoleGrant.objects.unscoped().filter(user=vw.users["leader_a"], team=vw.squad_a).delete()
    progress.job_execute(job_id)
    state = vw.client("leader_a").get(f"/api/v1/exports/{job_id}").json()
    assert state["status"] == "failed"
    assert vw.client("leader_a").get(f"/api/v1/exports/{job_id}/file").status_code == 404
    assert not AuditEvent.objects.unscoped().filter(action=VolunteerAction.NATIONAL_EXPORTED).exists()


def test_the_page_asks_for_the_purpose_and_starts_the_job(
        vw: VWorld, recs: dict[str, ServiceRecord], held_jobs: Any) -> None:
    client = vw.client("leader_a")
    page = client.get("/volunteers/export/national")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'name="purpose"' in text and 'name="purpose_text"' in text
    assert "masked in the file" in text or "已脱敏" in text  # says so before the export
    form = {"team_id": vw.squad_a.pk, **_period(), "purpose": "certificate"}
    assert client.post("/volunteers/export/national", form).status_code == 400  # no text
    assert not any(progress.jobs_dir().iterdir())
    started = client.post("/volunteers/export/national",
                          {**form, "purpose_text": "出具志愿服务证明"})
    assert started.status_code == 302 and started["Location"].startswith("/exports/")


@pytest.mark.parametrize(("columns", "named"), [
    ([{"header": "x", "source": "volunteer.salary"}], "volunteer.salary"),
    ([{"header": "x", "source": "record.hours", "format": "money"}], "money"),
    ([{"header": "x", "source": "record.content", "format": "date"}], "record.content"),
    ([{"header": "x", "source": "record.id", "colour": "red"}], "colour"),
    ([{"header": "x", "source": "record.id"}, {"header": "x", "source": "record.id"}], "x"),
    ([], "columns"),
])
def test_a_broken_mapping_is_refused_naming_what_is_wrong(
        vw: VWorld, settings: Any, tmp_path: Path, inline_jobs: Any, columns: list[Any],
        named: str) -> None:
    mapping = tmp_path / "cols.json"
    mapping.write_text(json.dumps({"columns": columns}), encoding="utf-8")
    settings.WUSHE_NATIONAL_VOLUNTEER_COLUMNS = str(mapping)
    with pytest.raises(national.MappingInvalid) as caught:
        national.load_mapping()
    assert named in caught.value.en and named in caught.value.zh
    errors = national.check_mapping()
    assert [e.id for e in errors] == ["volunteers.E001"] and named in errors[0].msg
    refused = _export(vw, "street", vw.det_a)
    assert refused.status_code == 400 and refused.json()["code"] == "national_mapping_invalid"
    assert not any(p.name != "cols.json" for p in progress.jobs_dir().iterdir())


def test_the_shipped_mapping_passes_the_system_check(settings: Any) -> None:
    settings.WUSHE_NATIONAL_VOLUNTEER_COLUMNS = None
    assert national.check_mapping() == []
    mapping = national.load_mapping()
    sources = [c.source for c in mapping.columns]
    for needed in ("volunteer.name", "volunteer.id_number", "org.name", "activity.title",
                   "record.service_date", "record.place", "record.content", "record.hours",
                   "confirmation.by", "confirmation.at"):
        assert needed in sources


def test_a_mapping_that_is_not_json_is_refused(settings: Any, tmp_path: Path) -> None:
    mapping = tmp_path / "cols.json"
    mapping.write_text("{columns: [", encoding="utf-8")
    settings.WUSHE_NATIONAL_VOLUNTEER_COLUMNS = str(mapping)
    with pytest.raises(national.MappingInvalid, match="cols.json"):
        national.load_mapping()


def test_hostile_values_are_clear_errors_and_queue_nothing(
        vw: VWorld, recs: dict[str, ServiceRecord], inline_jobs: Any) -> None:
    for extra in ({"team_id": 2**64}, {"team_id": "x"}, {"purpose_text": "说" * 151},
                  {"date_from": "2026-01-01" * 50}):
        refused = _export(vw, "street", vw.det_a, **extra)
        assert refused.status_code in (400, 422), (extra, refused.status_code)
        body = refused.json()
        assert body["code"] and body["message"]["zh"] and body["message"]["en"]
    form = {"team_id": str(2**64), **_period(), **PURPOSE}
    assert vw.client("street").post("/volunteers/export/national", form).status_code == 400
    assert not any(progress.jobs_dir().iterdir())
