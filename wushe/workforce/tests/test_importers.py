"""Worker roster imports: persons found or registered, ladder and scope checks per row."""

from __future__ import annotations

import io

from openpyxl import Workbook

from wushe.core.excel import run_import
from wushe.people.models import Person
from wushe.web.tests.factories import id_number
from wushe.workforce.importers import CommunityWorkerImporter, SocialWorkerImporter
from wushe.workforce.models import CommunityWorker, SocialWorker


def xlsx(importer, rows: list[list[object]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    headers = [c.zh for c in importer.columns]
    ws.append(headers)
    for row in rows:
        ws.append(row + [None] * (len(headers) - len(row)))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_community_workers_import_with_new_and_existing_persons(ow, persons):
    new_id = id_number(birth="19880808", seq="901")
    rows = [
        ["陈晓", persons["a1"].id_number, "", "", ow.community_a.code, "3", "4", "本科", "2018-03-01"],
        ["新同事", new_id, "13700137000", ow.community_b.code, ow.community_a.code, "正职", "", "大专",
         "2010-01-01"],
    ]
    result = run_import("community-workers", xlsx(CommunityWorkerImporter, rows),
                        actor=ow.users["street"])
    assert result.ok and result.imported == 2, result.as_dict()
    new = Person.objects.unscoped().get(name="新同事")
    assert new.region == ow.community_b
    worker = CommunityWorker.objects.unscoped().get(person=new)
    assert worker.post == 1 and 9 <= worker.grade <= 21


def test_community_worker_rows_are_checked(ow, persons):
    rows = [
        ["陈晓", persons["a1"].id_number, "", "", ow.community_a.code, "3", "14", "", "2018-03-01"],
        ["孙丽", persons["c1"].id_number, "", "", ow.community_c.code, "3", "4", "", "2018-03-01"],
        ["错名", persons["a2"].id_number, "", "", ow.community_a.code, "3", "4", "", "2018-03-01"],
        ["无住址", id_number(seq="902"), "", "", ow.community_a.code, "3", "4", "", "2018-03-01"],
        ["赵敏", persons["a3"].id_number, "", "", ow.community_b.code, "9", "4", "", "2018-03-01"],
        ["外住", id_number(seq="903"), "", ow.community_c.code, ow.community_a.code, "3", "4", "",
         "2018-03-01"],
    ]
    result = run_import("community-workers", xlsx(CommunityWorkerImporter, rows),
                        actor=ow.users["street"])
    assert result.error_count == 6 and result.imported == 0
    columns = [e.column for e in result.errors]
    # 孙丽 lives outside the street officer's area: to them she is not registered yet.
    assert columns == ["等级", "居住社区代码", "姓名", "居住社区代码", "岗位", "居住社区代码"]
    assert not CommunityWorker.objects.unscoped().exists()


def test_social_workers_import(ow, persons):
    rows = [
        ["陈晓", persons["a1"].id_number, "", "", "社会工作师", "b2019-001", "2019-06-30",
         ow.orgs["a"].credit_code, "杨坪社区社工室", "", "在岗", "2020-01-01"],
        ["刘洋", persons["a2"].id_number, "", "", "", "", "", "", "", ow.street.code],
        ["赵敏", persons["a3"].id_number, "", "", "高级社会工作师", "B2019-001", "", "", "",
         ow.street.code],
        ["孙丽", persons["c1"].id_number, "", "", "", "", "", "", "", ow.street.code],
    ]
    result = run_import("social-workers", xlsx(SocialWorkerImporter, rows),
                        actor=ow.users["street"], valid_only=True)
    assert result.imported == 2 and result.error_count == 2
    errors = {e.row: e.column for e in result.errors}
    assert errors == {4: "证书编号", 5: "居住社区代码"}
    placed = SocialWorker.objects.unscoped().get(person=persons["a1"])
    assert placed.site == ow.room_a and placed.certificate_number == "B2019-001"
    assert placed.employer == ow.orgs["a"]


def test_worker_import_pages(ow):
    client = ow.client("street")
    for kind in ("social-workers", "community-workers"):
        assert client.get(f"/workforce/import/{kind}").status_code == 200
        assert client.get(f"/workforce/import/{kind}/template.xlsx").status_code == 200
    assert client.get("/workforce/import/nope").status_code == 404
    assert ow.client("staff_a").get("/workforce/import/social-workers").status_code == 404
