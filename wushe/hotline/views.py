"""Pages: the 12345 orders in the actor's scope, overdue first (/hotline/), one order with its
updates, the Excel export of orders with their status, and the Excel import of orders."""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from wushe.audit import recorder as audit
from wushe.core.excel import workbook_bytes
from wushe.hotline import selectors
from wushe.hotline.audit_codes import HotlineAction
from wushe.hotline.importers import OrderImporter
from wushe.web import imports
from wushe.web.pages import paginate, render_page, xlsx_response

EXPORT_MAX = 50_000


@login_required
@never_cache
@require_GET
def order_list(request: HttpRequest) -> HttpResponse:
    overdue_only = request.GET.get("overdue") == "1"
    page = paginate(request, selectors.order_list(actor=request.user, overdue_only=overdue_only))
    return render_page(request, "hotline/orders.html", {
        "page": page, "overdue_only": overdue_only}, partial="rows")


@login_required
@never_cache
@require_GET
def order_detail(request: HttpRequest, order_id: int) -> HttpResponse:
    order = selectors.order_get(actor=request.user, order_id=order_id)
    return render_page(request, "hotline/order.html", {
        "order": order, "updates": list(order.updates.order_by("id"))})


@login_required
@require_GET
def order_export(request: HttpRequest) -> HttpResponse:
    """Orders with their status, as the platform's own list has them (no contact details)."""
    orders = selectors.order_list(actor=request.user)[:EXPORT_MAX]
    headers = ["工单编号 Order number", "受理时间 Received", "来源渠道 Channel",
               "平台类别 Platform category", "社区 Community", "查询码 Tracking code",
               "状态 Status", "办理时限 Deadline", "超期 Overdue", "办结时间 Resolved"]

    written = [0]

    def rows() -> Iterator[list[object]]:
        for o in orders:
            written[0] += 1
            yield [o.number, timezone.localtime(o.received_at).strftime("%Y-%m-%d %H:%M"),
                   o.get_channel_display(), o.platform_category, o.need.community.name,
                   o.need.tracking_code, o.need.get_state_display(),
                   timezone.localtime(o.deadline).strftime("%Y-%m-%d %H:%M"),
                   "是" if o.overdue else "否",  # type: ignore[attr-defined]
                   timezone.localtime(o.need.resolved_at).strftime("%Y-%m-%d %H:%M")
                   if o.need.resolved_at else ""]

    content = workbook_bytes([("orders", headers, rows())])
    audit.record(actor=request.user, action=HotlineAction.ORDER_EXPORTED,
                 data={"rows": written[0]})
    return xlsx_response(content, "hotline-orders")


@login_required
@never_cache
def order_import(request: HttpRequest) -> HttpResponse:
    return imports.import_page(
        request, kind=OrderImporter.kind, back=reverse("hotline:list"),
        template_url=reverse("hotline:import_template"),
        intro=_("A list of 12345 work orders from the platform: each becomes a need linked to "
                "its order number; an order received before is not imported again."))


@login_required
@require_GET
def order_import_template(request: HttpRequest) -> HttpResponse:
    return imports.import_template(request, OrderImporter.kind)
