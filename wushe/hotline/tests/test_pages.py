"""The /hotline/ pages: orders in the actor's region scope with their need and status, overdue
first (another street's order is 404, like a missing one); the Excel export of orders with their
status (no contact details); the Excel import of orders (a page job): an error row writes
nothing, a good list becomes needs, the same list again adds nothing."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from wushe.audit.models import AuditEvent
from wushe.core.excel import run_import
from wushe.hotline.models import HotlineUpdate, Order
from wushe.hotline.tests.conftest import order
from wushe.needs.models import Need
from wushe.needs.tests.conftest import client_for
from wushe.regions.services import region_create

pytestmark = pytest.mark.django_db

HEADER = ["工单编号", "受理时间", "来源渠道", "诉求类别", "诉求内容", "事发地址", "所属社区",
          "来电人", "联系电话", "办理时限"]


def xlsx(rows: list[list[Any]]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def row(number: str, community: str, phone: str = "13900001111", **kw: Any) -> list[Any]:
    received = timezone.localtime() - dt.timedelta(days=kw.get("days_ago", 1))
    deadline = received + dt.timedelta(days=kw.get("days_allowed", 5))
    return [number, received.strftime("%Y-%m-%d %H:%M"), "网络", "物业", "小区电梯长期故障无人维修",
            "某小区", community, "赵六", phone, deadline.strftime("%Y-%m-%d %H:%M")]


@pytest.fixture
def world(hotline: Any, root: Any, street_b: Any, make_user: Any, district: Any) -> dict[str, Any]:
    from django.test import Client

    far = region_create(actor=root, code="500107002001", name="黄桷坪社区", kind="community",
                        parent=street_b)
    now = timezone.now()
    late = order("CQ-L-000001", received_at=(now - dt.timedelta(days=5)).isoformat(),
                 deadline=(now - dt.timedelta(days=1)).isoformat())
    assert hotline.send_order(Client(), order("CQ-N-000001")).status_code == 201
    assert hotline.send_order(Client(), late).status_code == 201
    admin = make_user("district_admin", district, "district_admin")
    result = run_import("hotline_orders", io.BytesIO(xlsx([row("CQ-F-000001", far.code)])),
                        actor=admin)
    assert result.imported == 1, result.errors
    return {"street": make_user("street_staff", hotline_street(), "street_a_staff"),
            "street_b": make_user("street_staff", street_b, "street_b_staff"), "admin": admin}


def hotline_street() -> Any:
    from wushe.regions.models import Region

    return Region.objects.unscoped().get(code="500107001000")


def test_orders_in_scope_overdue_first(world: dict[str, Any]) -> None:
    html = client_for(world["street"]).get(reverse("hotline:list")).content.decode()
    assert html.index("CQ-L-000001") < html.index("CQ-N-000001")
    assert 'data-number="CQ-L-000001" data-overdue="1"' in html
    assert 'data-number="CQ-N-000001" data-overdue' not in html
    assert "CQ-F-000001" not in html  # another street's
    late = Order.objects.unscoped().get(number="CQ-L-000001")
    assert late.need.tracking_code in html
    only = client_for(world["street"]).get(reverse("hotline:list") + "?overdue=1")
    assert "CQ-N-000001" not in only.content.decode()
    b = client_for(world["street_b"]).get(reverse("hotline:list")).content.decode()
    assert "CQ-F-000001" in b and "CQ-L-000001" not in b


def test_another_streets_order_is_not_found_like_a_missing_one(world: dict[str, Any]) -> None:
    far = Order.objects.unscoped().get(number="CQ-F-000001")
    near = Order.objects.unscoped().get(number="CQ-N-000001")
    c = client_for(world["street"])
    assert c.get(reverse("hotline:order", args=[near.pk])).status_code == 200
    out = c.get(reverse("hotline:order", args=[far.pk]))
    missing = c.get(reverse("hotline:order", args=[987654321]))
    assert out.status_code == missing.status_code == 404


def test_a_role_without_needs_sees_no_page(world: dict[str, Any], make_user: Any,
                                           community_a: Any) -> None:
    leader = make_user("team_leader", community_a, "leader")
    assert client_for(leader).get(reverse("hotline:list")).status_code == 404


def test_export_lists_orders_in_scope_with_status_and_no_contact(world: dict[str, Any]) -> None:
    r = client_for(world["street"]).get(reverse("hotline:export"))
    assert r.status_code == 200
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = [[c for c in r if c is not None] for r in ws.iter_rows(values_only=True)]
    numbers = [r[0] for r in rows[1:]]
    assert numbers == ["CQ-L-000001", "CQ-N-000001"]
    assert rows[1][-1] == "是" or "是" in rows[1]
    flat = " ".join(str(c) for r in rows for c in r)
    assert "13912345678" not in flat and "王小明" not in flat
    assert AuditEvent.objects.unscoped().filter(action="hotline.order.exported",
                                                data__rows=2).exists()


def test_import_page_error_row_writes_nothing_then_a_good_list(
        world: dict[str, Any], community_a: Any, inline_jobs: Any) -> None:
    c = client_for(world["street"])
    before = (Need.objects.unscoped().count(), Order.objects.unscoped().count(),
              HotlineUpdate.objects.count())
    bad = xlsx([row("CQ-X-000001", community_a.code),
                row("CQ-X-000002", community_a.code, phone="１３９abc")])
    r = c.post(reverse("hotline:import"), {"file": SimpleUploadedFile("o.xlsx", bad)})
    assert r.status_code == 302
    html = c.get(r["Location"]).content.decode()
    assert 'data-status="done"' in html and "联系电话" in html
    assert (Need.objects.unscoped().count(), Order.objects.unscoped().count(),
            HotlineUpdate.objects.count()) == before
    good = xlsx([row("CQ-X-000001", community_a.code), row("CQ-X-000002", "西郊社区")])
    r = c.post(reverse("hotline:import"), {"file": SimpleUploadedFile("o.xlsx", good)})
    assert r.status_code == 302
    made = Order.objects.unscoped().filter(number__startswith="CQ-X").select_related("need")
    assert sorted(o.number for o in made) == ["CQ-X-000001", "CQ-X-000002"]
    assert {o.source for o in made} == {"excel"}
    assert {o.need.category for o in made} == {"property"}
    assert made[0].need.contact_phone == "13900001111"
    again = run_import("hotline_orders", io.BytesIO(good), actor=world["street"])
    assert (again.imported, again.skipped) == (0, 2)
    twice = run_import("hotline_orders", io.BytesIO(xlsx([row("CQ-Y-000001", community_a.code)] * 2)),
                       actor=world["street"])
    assert twice.imported == 0 and twice.errors
