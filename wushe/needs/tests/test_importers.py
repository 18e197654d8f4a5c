"""Offline problem lists from Excel on the shared pipeline: dry run, row errors, all-or-nothing
by default, valid-only, the ``wushe import needs`` command and the import page."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook

from wushe.audit.models import AuditEvent
from wushe.core.excel import run_import
from wushe.needs.models import Need, NeedEvent
from wushe.needs.tests.conftest import client_for

HEADER = ["社区代码", "诉求类别", "诉求内容", "对象类别", "紧急程度", "联系人", "联系电话", "登记日期",
          "来源编号"]


def xlsx(rows: list[list[Any]], header: list[str] = HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def good(community: Any, n: int = 1) -> list[Any]:
    return [community.code, "养老服务", f"独居老人需要助餐服务{n}", "一老", "一般", "张三",
            f"1391234{n:04d}", dt.date(2026, 3, 5), f"WT-{n}"]


def test_dry_run_writes_nothing(staff_a: Any, community_a: Any) -> None:
    result = run_import("needs", io.BytesIO(xlsx([good(community_a)])), actor=staff_a,
                        dry_run=True)
    assert result.ok and result.valid == 1 and result.imported == 0
    assert Need.objects.unscoped().count() == 0


def test_rows_become_accepted_offline_needs(staff_a: Any, community_a: Any) -> None:
    result = run_import("needs", io.BytesIO(xlsx([good(community_a, 1), good(community_a, 2)])),
                        actor=staff_a)
    assert result.imported == 2
    need = Need.objects.unscoped().get(source_ref="WT-1")
    assert need.channel == "offline" and need.state == "accepted"
    assert need.category == "elderly_care" and need.target_group == "elderly"
    assert need.received_at.date() == dt.date(2026, 3, 5)
    assert need.due_on == dt.date(2026, 3, 19)  # 10 working days from Thursday 03-05
    assert NeedEvent.objects.unscoped().filter(need=need).count() == 2
    assert AuditEvent.objects.unscoped().filter(action="needs.need.imported").count() == 1


def test_all_or_nothing_with_row_errors(staff_a: Any, community_a: Any,
                                        community_b: Any) -> None:
    rows = [good(community_a, 1),
            [community_a.code, "算命", "请帮我看看", "", "", "", "13912340000", "", ""],
            [community_b.code, "dispute", "邻里纠纷", "", "", "", "13912340001", "", ""],
            [community_a.code, "dispute", "<script>x</script>", "", "", "", "", "", ""],
            [community_a.code, "dispute", "邻里纠纷需要调解", "", "", "", "12345", "", ""],
            [community_a.code, "dispute", "邻里纠纷需要调解", "", "", "", "",
             dt.date.today() + dt.timedelta(days=5), ""]]
    result = run_import("needs", io.BytesIO(xlsx(rows)), actor=staff_a)
    assert result.imported == 0 and result.valid == 1 and result.error_count == 5
    columns = [e.column for e in result.errors]
    assert columns == ["诉求类别", "社区代码", "诉求内容", "联系电话", "登记日期"]
    assert all(e.zh and e.en for e in result.errors)
    assert Need.objects.unscoped().count() == 0
    partial = run_import("needs", io.BytesIO(xlsx(rows)), actor=staff_a, valid_only=True)
    assert partial.imported == 1 and Need.objects.unscoped().count() == 1


def test_the_wushe_import_command(tmp_path: Path, root: Any, community_a: Any,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "list.xlsx"
    path.write_bytes(xlsx([good(community_a, i) for i in range(3)]))
    call_command("import", "needs", str(path), "--dry-run")
    assert json.loads(capsys.readouterr().out)["imported"] == 0
    call_command("import", "needs", str(path))
    assert json.loads(capsys.readouterr().out)["imported"] == 3
    assert Need.objects.unscoped().filter(channel="offline").count() == 3


def test_the_import_page(staff_a: Any, community_a: Any, inline_jobs: Any) -> None:
    client = client_for(staff_a)
    assert client.get(reverse("needs:import") + "?template=1")["Content-Type"].startswith(
        "application/vnd.openxmlformats")
    upload = SimpleUploadedFile("list.xlsx", xlsx([good(community_a)]))
    checked = client.post(reverse("needs:import"), {"file": upload, "dry_run": "on"})
    assert checked.status_code == 302
    html = client.get(checked["Location"]).content.decode()
    assert 'data-status="done"' in html and 'data-testid="import-result"' in html
    assert Need.objects.unscoped().count() == 0
    upload = SimpleUploadedFile("list.xlsx", xlsx([good(community_a)]))
    assert client.post(reverse("needs:import"), {"file": upload}).status_code == 302
    assert Need.objects.unscoped().count() == 1
    # Not a workbook: refused on the form, no job started.
    jobs = len(list(inline_jobs.iterdir()))
    bad = SimpleUploadedFile("list.xlsx", b"\x00\x00\x01\x00 an icon, not a workbook")
    refused = client.post(reverse("needs:import"), {"file": bad})
    assert refused.status_code == 400 and "Excel" in refused.content.decode()
    assert len(list(inline_jobs.iterdir())) == jobs


def test_import_is_refused_to_roles_without_intake(make_user: Any, community_a: Any) -> None:
    reader = make_user("team_leader", community_a, "reader")
    assert client_for(reader).get(reverse("needs:import")).status_code == 404


def test_a_rerun_adds_nothing_by_reference_or_by_problem(staff_a: Any, community_a: Any) -> None:
    """The same list again: rows with a reference are known by it, rows without one by the
    same problem on the same day; an in-file repeat of a reference is an error."""
    no_ref = [*good(community_a, 3)[:-1], ""]
    rows = [good(community_a, 1), good(community_a, 2), no_ref]
    assert run_import("needs", io.BytesIO(xlsx(rows)), actor=staff_a).imported == 3
    again = run_import("needs", io.BytesIO(xlsx(rows)), actor=staff_a)
    assert (again.imported, again.skipped, again.error_count) == (0, 3, 0)
    assert [n.row for n in again.notices] == [2, 3, 4]
    assert Need.objects.unscoped().count() == 3
    twice = run_import("needs", io.BytesIO(xlsx([good(community_a, 5), good(community_a, 5)])),
                       actor=staff_a, dry_run=True)
    assert [(e.row, e.column) for e in twice.errors] == [(3, "来源编号")]
