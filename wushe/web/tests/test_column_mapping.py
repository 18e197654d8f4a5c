"""Mapping a roster's columns by hand, without a browser: a sheet whose required columns are
not recognised stops its job in state "mapping"; the user's mapping is checked (a refusal
lands on the form, bilingual, and starts nothing), runs the import, and is remembered for the
same user and importer only, until forgotten. Exercised through the person roster import."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from wushe.audit.models import AuditEvent
from wushe.conftest import make_id_number
from wushe.core import importjobs
from wushe.core.errors import ValidationFailed
from wushe.people.models import Person
from wushe.web import mappings
from wushe.web.models import ImportMapping
from wushe.web.tests.test_import_jobs import client_for

# Nothing here is a word the person importer knows (居民姓名, 证件号 and 所在社区 are).
ODD_HEADERS = ["序号", "居民名", "证件号X", "所在社区X"]
# The mapping a user chooses: field → the header as offered (as written in the file).
GOOD = {"f_name": "居民名", "f_id_number": "证件号X", "f_community": "所在社区X"}
SAVED = "web.import_mapping.saved"
CLEARED = "web.import_mapping.cleared"
def odd_roster(community: str, names: list[str], seq: int = 100) -> SimpleUploadedFile:
    """A roster with a title row above headers the importer cannot recognise."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["杨坪社区居民花名册"])
    ws.append(ODD_HEADERS)
    for i, name in enumerate(names):
        ws.append([i + 1, name, make_id_number(seq=str(seq + i)), community])
    buf = io.BytesIO()
    wb.save(buf)
    return SimpleUploadedFile("roster.xlsx", buf.getvalue())


def upload(client: Client, community: str, names: list[str], seq: int = 100,
           url: str = "/people/import") -> str:
    """Upload for real (not a dry run); the job page's address."""
    started = client.post(url, {"file": odd_roster(community, names, seq)})
    assert started.status_code == 302, started.content.decode()[:2000]
    location = started["Location"]
    assert location.startswith("/imports/")
    return str(location)


def job_id(location: str) -> str:
    return location.split("/")[2]


def events(action: str) -> list[Any]:
    return list(AuditEvent.objects.unscoped().filter(action=action))


def test_unrecognised_required_columns_stop_the_job_for_a_mapping(
        staff_a: Any, community_a: Any, inline_jobs: Any) -> None:
    client = client_for(staff_a)
    location = upload(client, community_a.code, ["张三", "李四"])
    page = client.get(location)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-status="mapping"' in html
    assert 'data-testid="column-map-form"' in html and "hx-get" not in html
    assert f'action="/imports/{job_id(location)}/map"' in html
    assert 'data-testid="import-needs-mapping"' in html and "缺少必需的列:姓名、社区代码" in html
    for key in ("name", "id_number", "phone", "address", "community"):
        assert f'name="f_{key}"' in html
    for option in ("A · 序号", "B · 居民名", "C · 证件号X", "D · 所在社区X"):
        assert option in html
    assert 'name="remember"' in html
    state = importjobs.job_state(actor=staff_a, job_id=job_id(location))
    assert state["status"] == "mapping" and state["header_row"] == 2
    assert state["missing"] == ["name", "community"]
    assert [h for h, _label in state["headers"]] == ["序号", "居民名", "证件号X", "所在社区X"]
    # Nothing written; the upload is kept (privately) for the mapping.
    assert Person.objects.unscoped().count() == 0
    assert (inline_jobs / job_id(location) / importjobs.SOURCE).exists()
    # In English the job page says the same in English.
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get(location).content.decode()
    assert "Missing required columns: Name, Community code" in en and "Map the columns" in en


BAD_MAPPINGS = {
    "required field left empty": (
        {**GOOD, "f_community": ""},
        "请为必需的字段选择列:社区代码", "Choose a column for each required field: Community code"),
    "a column used twice": (
        {**GOOD, "f_phone": "居民名"},
        "同一列不能对应两个字段", "One column cannot go to two fields"),
    "a header not in the file": (
        {**GOOD, "f_community": "所在社区"},
        "选择一个有效的选项", "Select a valid choice"),
}


@pytest.mark.parametrize("case", list(BAD_MAPPINGS))
def test_a_bad_mapping_is_refused_on_the_form_and_starts_nothing(
        case: str, staff_a: Any, community_a: Any, inline_jobs: Any) -> None:
    data, zh, en = BAD_MAPPINGS[case]
    client = client_for(staff_a)
    location = upload(client, community_a.code, ["张三", "李四"])
    for language, message in (("zh-hans", zh), ("en", en)):
        client.post("/i18n/setlang/", {"language": language, "next": "/"})
        refused = client.post(location + "map", {**data, "remember": "on"})
        html = refused.content.decode()
        assert refused.status_code == 400, (language, html[:2000])
        assert message in html, (language, message)
        assert 'data-testid="column-map-form"' in html  # the form again, to correct
        assert 'aria-invalid="true"' in html or "alert-danger" in html
    state = importjobs.job_state(actor=staff_a, job_id=job_id(location))
    assert state["status"] == "mapping" and state["mapping"] == {}
    assert (inline_jobs / job_id(location) / importjobs.SOURCE).exists()
    assert Person.objects.unscoped().count() == 0
    assert not ImportMapping.objects.exists() and events(SAVED) == []


def test_the_pipeline_refuses_a_header_that_is_not_in_the_file(
        staff_a: Any, community_a: Any, inline_jobs: Any) -> None:
    """The form offers the file's headers only; the pipeline checks again on its own."""
    location = upload(client_for(staff_a), community_a.code, ["张三"])
    with pytest.raises(ValidationFailed) as refused:
        importjobs.job_map(actor=staff_a, job_id=job_id(location), mapping={
            "name": "居民名", "community": "不在文件里"})
    assert refused.value.message == {"zh": "列对应无效", "en": "The column mapping is not valid"}
    with pytest.raises(ValidationFailed):  # a field the importer does not have
        importjobs.job_map(actor=staff_a, job_id=job_id(location), mapping={
            "name": "居民名", "community": "所在社区x", "salary": "序号"})
    assert importjobs.job_state(actor=staff_a, job_id=job_id(location))["status"] == "mapping"
    assert Person.objects.unscoped().count() == 0


def test_a_good_mapping_imports_is_remembered_and_used_next_time(
        staff_a: Any, community_a: Any, inline_jobs: Any) -> None:
    client = client_for(staff_a)
    location = upload(client, community_a.code, ["张三", "李四", "王五"])
    mapped = client.post(location + "map", {**GOOD, "remember": "on"})
    assert mapped.status_code == 302 and mapped["Location"] == location
    html = client.get(location).content.decode()
    assert 'data-status="done"' in html and "column-map-form" not in html
    assert "共 3 行,有效 3 行,已导入 3 行,有错误 0 行。" in html
    state = importjobs.job_state(actor=staff_a, job_id=job_id(location))
    assert state["result"]["imported"] == 3
    read_as = {m["header"]: m["field"] for m in state["result"]["mapping"]}
    assert read_as == {"序号": None, "居民名": "name", "证件号X": "id_number",
                       "所在社区X": "community"}
    assert 'data-testid="import-mapping"' in html and "居民名" in html
    assert not (inline_jobs / job_id(location) / importjobs.SOURCE).exists()  # upload removed
    people = Person.objects.unscoped().filter(region=community_a)
    assert sorted(p.name for p in people) == ["张三", "李四", "王五"]
    assert all(p.id_number for p in people)
    # Remembered, for this user and importer, and audited.
    assert mappings.remembered(actor=staff_a, kind="people") == {
        "name": "居民名", "id_number": "证件号X", "community": "所在社区X"}
    (saved,) = events(SAVED)
    assert saved.actor_id == staff_a.pk and saved.data == {
        "kind": "people", "fields": ["community", "id_number", "name"]}
    # Posting the mapping again (a double submit) runs nothing more.
    again = client.post(location + "map", {**GOOD, "remember": "on"})
    assert again.status_code == 302 and len(events(SAVED)) == 1
    assert Person.objects.unscoped().count() == 3
    # The import page shows the mapping; the next file with the same headers runs straight
    # through with it.
    page = client.get("/people/import").content.decode()
    assert 'data-testid="remembered-mapping"' in page and "姓名 ← 居民名" in page
    assert 'name="forget_mapping"' in page
    second = upload(client, community_a.code, ["赵六", "孙七"], seq=200)
    html = client.get(second).content.decode()
    assert 'data-status="done"' in html and "column-map-form" not in html
    assert importjobs.job_state(actor=staff_a, job_id=job_id(second))["result"]["imported"] == 2
    assert Person.objects.unscoped().filter(region=community_a).count() == 5


def test_a_mapping_not_asked_to_be_remembered_is_not(staff_a: Any, community_a: Any,
                                                     inline_jobs: Any) -> None:
    client = client_for(staff_a)
    location = upload(client, community_a.code, ["张三"])
    assert client.post(location + "map", GOOD).status_code == 302  # "remember" unticked
    assert importjobs.job_state(actor=staff_a, job_id=job_id(location))["result"]["imported"] == 1
    assert not ImportMapping.objects.exists() and events(SAVED) == []
    assert 'data-testid="remembered-mapping"' not in client.get("/people/import").content.decode()
    again = upload(client, community_a.code, ["李四"], seq=200)
    assert importjobs.job_state(actor=staff_a, job_id=job_id(again))["status"] == "mapping"


def test_another_users_job_is_not_found_on_the_map_url(
        staff_a: Any, staff_b: Any, make_user: Any, community_a: Any,
        inline_jobs: Any) -> None:
    location = upload(client_for(staff_a), community_a.code, ["张三"])
    neighbour = make_user("community_staff", community_a)  # same community, other account
    for other in (staff_b, neighbour):
        client = client_for(other)
        assert client.post(location + "map", {**GOOD, "remember": "on"}).status_code == 404
        assert client.get(location).status_code == 404
    assert client_for(staff_a).get(location + "map").status_code == 405  # POST only
    anonymous = Client().post(location + "map", GOOD)
    assert anonymous.status_code == 302 and "/login" in anonymous["Location"]
    assert importjobs.job_state(actor=staff_a, job_id=job_id(location))["status"] == "mapping"
    assert Person.objects.unscoped().count() == 0 and not ImportMapping.objects.exists()
    for bad in ("../../etc", "x" * 20, "short"):
        assert client_for(staff_a).post(f"/imports/{bad}/map", GOOD).status_code == 404


def test_a_remembered_mapping_is_the_users_own_and_the_importers_own(
        staff_a: Any, make_user: Any, community_a: Any, inline_jobs: Any) -> None:
    client = client_for(staff_a)
    location = upload(client, community_a.code, ["张三"])
    assert client.post(location + "map", {**GOOD, "remember": "on"}).status_code == 302
    assert ImportMapping.objects.filter(user=staff_a, kind="people").exists()
    # Another account of the same community: its uploads still stop for a mapping.
    neighbour = client_for(make_user("community_staff", community_a))
    page = neighbour.get("/people/import").content.decode()
    assert 'data-testid="remembered-mapping"' not in page
    theirs = upload(neighbour, community_a.code, ["李四"], seq=200)
    assert 'data-status="mapping"' in neighbour.get(theirs).content.decode()
    # The same user's volunteer roster with the same headers: not the people mapping.
    page = client.get("/volunteers/import/").content.decode()
    assert 'data-testid="remembered-mapping"' not in page
    volunteers = upload(client, community_a.code, ["王五"], seq=300, url="/volunteers/import/")
    state = importjobs.job_state(actor=staff_a, job_id=job_id(volunteers))
    assert state["status"] == "mapping" and state["mapping"] == {}
    assert state["importing"] == "volunteers"
    assert set(state["missing"]) == {"name", "id_number", "community"}
    assert Person.objects.unscoped().count() == 1


def test_forgetting_the_mapping_removes_it_and_is_audited(
        staff_a: Any, make_user: Any, community_a: Any, inline_jobs: Any) -> None:
    client = client_for(staff_a)
    location = upload(client, community_a.code, ["张三"])
    client.post(location + "map", {**GOOD, "remember": "on"})
    other = make_user("community_staff", community_a)
    mappings.mapping_remember(actor=other, kind="people", mapping={"name": "居民名"})
    assert len(events(SAVED)) == 2
    forgot = client.post("/people/import", {"forget_mapping": "1"})
    assert forgot.status_code == 302 and forgot["Location"] == "/people/import"
    assert not ImportMapping.objects.filter(user=staff_a).exists()
    assert ImportMapping.objects.filter(user=other).exists()  # another's mapping is kept
    (cleared,) = events(CLEARED)
    assert cleared.actor_id == staff_a.pk and cleared.data == {"kind": "people"}
    page = client.get("/people/import").content.decode()
    assert 'data-testid="remembered-mapping"' not in page
    # Forgetting nothing records nothing.
    assert client.post("/people/import", {"forget_mapping": "1"}).status_code == 302
    assert len(events(CLEARED)) == 1
    # The next file with the odd headers stops for a mapping again.
    again = upload(client, community_a.code, ["李四"], seq=200)
    assert 'data-status="mapping"' in client.get(again).content.decode()
    assert Person.objects.unscoped().count() == 1


def test_who_may_not_import_cannot_forget_or_map(make_user: Any, staff_a: Any,
                                                 community_a: Any, inline_jobs: Any) -> None:
    reader = client_for(make_user("team_leader", community_a, "reader"))
    assert reader.post("/people/import", {"forget_mapping": "1"}).status_code == 404
    location = upload(client_for(staff_a), community_a.code, ["张三"])
    assert reader.post(location + "map", GOOD).status_code == 404
    assert events(CLEARED) == []
