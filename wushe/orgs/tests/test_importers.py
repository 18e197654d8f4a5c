"""The "orgs" Excel import: dry run, row errors in both languages, all-or-nothing, the page
and the `wushe import` command."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from openpyxl import Workbook, load_workbook

from wushe.audit.models import AuditEvent
from wushe.core.excel import run_import, template_bytes
from wushe.orgs.importers import OrgImporter
from wushe.orgs.models import SocialOrganization, StatusChange
from wushe.orgs.tests.factories import credit_code

HEADERS = [c.zh for c in OrgImporter.columns]


def xlsx(rows: list[list[object]]) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADERS)
    for row in rows:
        ws.append(row + [None] * (len(HEADERS) - len(row)))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def good_rows(ow) -> list[list[object]]:
    return [
        ["杨坪合唱团", "已备案", ow.community_a.code, "", "", "", "", "李梅", "13800138000",
         "杨坪社区活动室", "杨坪社区", "唱响生活", "2000", "会费", "2022-01-01"],
        ["杨家坪助老服务中心", "已登记", ow.street.code, "公益服务类", credit_code(501), "", "2019-05-20"],
        ["杨家坪互助会", "孵化中", ow.street.code, "governance"],
    ]


def test_dry_run_writes_nothing(ow):
    before = SocialOrganization.objects.unscoped().count()
    result = run_import("orgs", xlsx(good_rows(ow)), actor=ow.users["street"], dry_run=True)
    assert (result.total, result.valid, result.imported) == (3, 3, 0)
    assert SocialOrganization.objects.unscoped().count() == before


def test_import_writes_orgs_history_and_one_audit_event(ow):
    result = run_import("orgs", xlsx(good_rows(ow)), actor=ow.users["street"])
    assert result.ok and result.imported == 3
    filed = SocialOrganization.objects.unscoped().get(name="杨坪合唱团")
    assert filed.filing_number.startswith("BA" + ow.street.path)
    assert filed.masked_contact_phone == "138****8000"
    reg = SocialOrganization.objects.unscoped().get(name="杨家坪助老服务中心")
    assert reg.category == "public_service" and reg.status == "registered"
    assert StatusChange.objects.unscoped().filter(org__in=[filed, reg]).count() == 2
    assert AuditEvent.objects.unscoped().filter(action="orgs.org.imported").count() == 1


def test_row_errors_are_reported_and_nothing_is_written(ow):
    rows = good_rows(ow) + [
        ["错码组织", "已登记", ow.street.code, "hub", credit_code(502)[:-1] + "0", "", "2019-01-01"],
        ["越界备案", "已备案", ow.community_c.code, "", "", "", "", "张三", "", "x", "x"],
        ["无类别", "孵化中", ow.street.code],
        ["<script>alert(1)</script>", "已备案", ow.community_a.code, "", "", "", "", "张三", "",
         "x", "x"],
        ["重码", "已登记", ow.street.code, "hub", credit_code(501), "", "2019-01-01"],
        ["怪类型", "注销", ow.street.code],
    ]
    before = SocialOrganization.objects.unscoped().count()
    result = run_import("orgs", xlsx(rows), actor=ow.users["street"])
    assert result.error_count == 6 and result.imported == 0
    assert SocialOrganization.objects.unscoped().count() == before
    by_row = {e.row: e for e in result.errors}
    assert by_row[5].column == "统一社会信用代码" and "校验位" in by_row[5].zh
    assert "outside your area" in by_row[6].en
    assert by_row[7].column == "类别"
    assert by_row[9].column == "统一社会信用代码" and "twice" in by_row[9].en
    valid = run_import("orgs", xlsx(rows), actor=ow.users["street"], valid_only=True)
    assert valid.imported == 3


def test_import_needs_orgs_manage(ow):
    from wushe.core.errors import NotFound

    with pytest.raises(NotFound):
        run_import("orgs", xlsx(good_rows(ow)), actor=ow.users["staff_a"])


def test_template_and_command(ow, tmp_path, capsys):
    template = load_workbook(io.BytesIO(template_bytes("orgs")))
    assert [c.value for c in template.active[1]] == HEADERS
    path = tmp_path / "orgs.xlsx"
    path.write_bytes(xlsx(good_rows(ow)).getvalue())
    call_command("import", "orgs", str(path), "--dry-run", "--user", "street")
    assert '"valid": 3' in capsys.readouterr().out
    call_command("import", "orgs", str(path), "--user", "street")
    assert SocialOrganization.objects.unscoped().filter(name="杨坪合唱团").exists()


def test_import_page_runs_a_job_that_shows_row_errors_and_offers_them_as_xlsx(ow, inline_jobs):
    client = ow.client("street")
    assert client.get("/orgs/import").status_code == 200
    rows = [["错码组织", "已登记", ow.street.code, "hub", "123"]]
    started = client.post("/orgs/import", {"file": _upload(xlsx(rows)), "dry_run": "on"})
    assert started.status_code == 302 and started["Location"].startswith("/imports/")
    html = client.get(started["Location"]).content.decode()
    assert 'data-status="done"' in html
    assert 'data-testid="import-errors"' in html and "统一社会信用代码" in html
    report = load_workbook(io.BytesIO(client.get(started["Location"] + "errors").content))
    assert report.active.max_row == 2
    started = client.post("/orgs/import", {"file": _upload(xlsx(good_rows(ow)))})
    html = client.get(started["Location"]).content.decode()
    assert 'data-testid="import-result"' in html
    assert SocialOrganization.objects.unscoped().filter(name="杨坪合唱团").exists()
    # Another user cannot see the job, nor its error report.
    assert ow.client("staff_a").get(started["Location"]).status_code == 404
    assert ow.client("staff_a").get("/orgs/import").status_code == 404


def _upload(buf: io.BytesIO):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("orgs.xlsx", buf.getvalue())
