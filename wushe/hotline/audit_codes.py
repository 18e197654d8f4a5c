"""Audit action codes of the 12345 hotline exchange (app.model.verb)."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class HotlineAction(StrEnum):
    ORDER_RECEIVED = "hotline.order.received"  # through the API
    ORDER_IMPORTED = "hotline.order.imported"  # an Excel list of orders
    ORDER_EXPORTED = "hotline.order.exported"


register(HotlineAction)
