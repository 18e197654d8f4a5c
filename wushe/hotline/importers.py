"""12345 orders from an Excel list (for platforms without an API), on the shared import
pipeline (core/excel.py, run as a page job by core/importjobs.py): ``hotline_orders``.

Each row is checked like an order from the API; a number already received is a notice (not
imported again), a number twice in the file is a row error. Rows become needs through the
needs intake service, as the API's orders do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.audit import recorder as audit
from wushe.core.errors import NotFound, ValidationFailed
from wushe.core.excel import Column, Importer, ImportResult, RowSkipped, audit_region, register
from wushe.hotline import orders, services
from wushe.hotline.audit_codes import HotlineAction
from wushe.hotline.models import Order, OrderSource
from wushe.needs import perms as need_perms

if TYPE_CHECKING:
    from wushe.accounts.actor import MaybeActor


@register
class OrderImporter(Importer):
    kind = "hotline_orders"
    title_zh = "12345 工单"
    title_en = "12345 work orders"
    columns = [
        Column("number", "工单编号", "Order number", required=True, example="CQ12345-20260305-0001",
               aliases=("工单号", "编号")),
        Column("received_at", "受理时间", "Time received", required=True,
               example="2026-03-05 10:00", aliases=("来电时间", "派单时间", "登记时间")),
        Column("channel", "来源渠道", "Channel", example="电话", aliases=("渠道", "来源")),
        Column("category", "诉求类别", "Category", example="养老服务",
               aliases=("事项分类", "问题分类", "类别")),
        Column("content", "诉求内容", "Content", required=True, example="独居老人需要助餐服务",
               aliases=("内容", "来电内容", "问题描述")),
        Column("address", "事发地址", "Address", example="杨家坪正街1号",
               aliases=("地址", "事发地点")),
        Column("community", "所属社区", "Community", required=True, example="500107001001",
               aliases=("社区", "社区代码", "社区名称")),
        Column("contact_name", "来电人", "Caller", example="张三", aliases=("联系人", "姓名")),
        Column("contact_phone", "联系电话", "Phone", required=True, example="13912345678",
               aliases=("电话", "手机号", "来电号码")),
        Column("deadline", "办理时限", "Deadline", required=True, example="2026-03-10 18:00",
               aliases=("办结时限", "截止时间")),
    ]
    batch_size = 500

    def __init__(self, actor: MaybeActor) -> None:
        super().__init__(actor)
        self.lookup = orders.order_lookup(actor)
        self.in_file: set[str] = set()
        self.paths: set[str] = set()

    def check_permission(self) -> None:
        if self.actor is None or not scope.has_perm(self.actor, need_perms.NEED_IMPORT) \
                or not scope.has_perm(self.actor, need_perms.NEED_INTAKE):
            raise NotFound()

    def parse(self, row: dict[str, Any], rownum: int) -> orders.OrderValues:
        values = orders.clean_order({
            "number": row.get("number"), "received_at": row.get("received_at"),
            "deadline": row.get("deadline"), "channel": row.get("channel"),
            "category": row.get("category"), "content": row.get("content"),
            "place": {"address": row.get("address"), "community": row.get("community")},
            "contact": {"name": row.get("contact_name"), "phone": row.get("contact_phone")},
        }, self.lookup)
        if values.number in self.in_file:
            raise ValidationFailed("工单编号在本文件中重复", "This order number appears twice in the "
                                   "file", field="number")
        self.in_file.add(values.number)
        if Order.objects.unscoped(reason="uniqueness check, no row shown").filter(number=values.number).exists():
            raise RowSkipped("该工单已接收,未重复导入", "This order was received before; not "
                             "imported again", field="number")
        return values

    def write(self, rows: list[orders.OrderValues]) -> int:
        written = 0
        for values in rows:
            order = services.order_create(actor=signed_in(self.actor), values=values,
                                          source=OrderSource.EXCEL)
            if order is None:
                continue
            self.paths.add(order.region_path)
            written += 1
        return written

    def finish(self, result: ImportResult) -> None:
        paths = sorted(self.paths)
        audit.record(actor=self.actor, action=HotlineAction.ORDER_IMPORTED,
                     region_path=audit_region(paths),
                     data={"rows": result.imported, "communities": paths[:50]})
