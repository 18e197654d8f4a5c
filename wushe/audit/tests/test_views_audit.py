"""The audit pages exist only for actors with audit.view; the export is a real workbook."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest

from wushe.audit.models import AuditEvent
from wushe.people.services import person_unmask
from wushe.web.tests.factories import World, build_world

HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def world(db: Any) -> World:
    return build_world()


@pytest.mark.parametrize("url", ["/audit/", "/audit/pii/", "/audit/export.xlsx"])
@pytest.mark.parametrize("username", ["staff_a", "street", "worker_a"])
def test_audit_pages_do_not_exist_without_audit_view(world: World, url: str,
                                                     username: str) -> None:
    assert world.client(username).get(url).status_code == 404


@pytest.mark.parametrize("username", ["auditor", "admin"])
def test_audit_pages_for_auditors(world: World, username: str) -> None:
    client = world.client(username)
    response = client.get("/audit/")
    assert response.status_code == 200
    assert "people.person.created" in _rows(response.content.decode())
    assert client.get("/audit/pii/").status_code == 200


def _rows(html: str) -> str:
    """The table body only (the action filter lists every code as an option)."""
    return html.split('data-testid="audit-table"', 1)[1]


def test_filters(world: World) -> None:
    client = world.client("auditor")
    html = _rows(client.get("/audit/", {"family": "regions"}).content.decode())
    assert "regions.region.created" in html and "people.person.created" not in html
    html = _rows(client.get("/audit/", {"action": "people.person.created",
                                        "actor": "staff_b"}).content.decode())
    assert "刘*郊" in html and "陈*海" not in html
    html = _rows(client.get("/audit/", {"since": "2000-01-01",
                                        "until": "2000-01-02"}).content.decode())
    assert "people.person.created" not in html


def test_bad_filters_are_reported(world: World) -> None:
    client = world.client("auditor")
    assert client.get("/audit/", {"since": "not-a-date"}).status_code == 400
    assert client.get("/audit/", {"action": "no.such.code"}).status_code == 400
    assert client.get("/audit/", {"since": "2024-02-01", "until": "2024-01-01"}).status_code == 400


def test_results_fragment_and_pagination(world: World, settings: Any) -> None:
    settings.WUSHE_PAGE_SIZE = 5
    response = world.client("auditor").get("/audit/?page=2", **HX)
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-testid="audit-table"' in html
    assert "?page=3" in html


def test_export_is_a_real_xlsx(world: World) -> None:
    response = world.client("auditor").get("/audit/export.xlsx", {"family": "people"})
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    assert 'attachment; filename="wushe-audit-' in response["Content-Disposition"]
    assert response["Content-Disposition"].endswith('.xlsx"')
    wb = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][0] == "时间 Time"
    actions = {row[2] for row in rows[1:]}
    assert actions == {"people.person.created"}
    assert {row[9] for row in rows[1:]} == {"登记人员 / Person registered"}  # readable too
    assert len(rows) == 1 + 3
    # The export itself is recorded.
    assert AuditEvent.objects.unscoped().filter(action="audit.event.exported",
                                                actor_name="auditor").exists()


def test_export_with_bad_filter_is_refused(world: World) -> None:
    response = world.client("auditor").get("/audit/export.xlsx", {"since": "x"})
    assert response.status_code == 400
    assert not AuditEvent.objects.unscoped().filter(action="audit.event.exported").exists()


def test_pii_access_list(world: World) -> None:
    person = world.people["a1"]
    person_unmask(actor=world.users["staff_a"], person=person, field="phone",
                  purpose="入户走访核实联系方式")
    html = world.client("auditor").get("/audit/pii/").content.decode()
    assert "入户走访核实联系方式" in html
    assert "staff_a" in html
    assert "13800138000" not in html
    html = world.client("auditor").get("/audit/pii/", {"actor": "staff_b"}).content.decode()
    assert "入户走访核实联系方式" not in html


def test_street_auditor_sees_only_its_street(world: World) -> None:
    from wushe.web.tests.factories import make_user

    world.users["auditor_b"] = make_user("auditor_b", "auditor", world.community_b)
    html = _rows(world.client("auditor_b").get("/audit/").content.decode())
    assert "刘*郊" in html and "陈*海" not in html
