"""The audit log as a real .xlsx workbook (openpyxl, write-only for bounded memory)."""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook

from wushe.audit.labels import LABELS
from wushe.audit.models import AuditEvent

HEADERS = ("时间 Time", "操作人 Actor", "操作 Action", "对象类型 Target type", "对象 Target id",
           "对象 Target", "地区 Region", "IP", "数据 Data", "操作说明 Action label")
MAX_ROWS = 200_000


def audit_events_xlsx(events: Iterable[AuditEvent]) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("audit")
    ws.append(HEADERS)
    for n, e in enumerate(events):
        if n >= MAX_ROWS:
            break
        ws.append([timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), e.actor_name,
                   e.action, e.target_type, e.target_id, e.target_label, e.region_path,
                   e.ip or "", str(e.data), " / ".join(LABELS.get(e.action, (e.action,)))])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
