"""How long audit events are kept, and the archive export of old ones.

No event younger than ``MIN_RETENTION_DAYS`` may be removed by any path. The paths that could
remove events, and what stops each:

- the ORM (``delete()`` on an event or a queryset): ``AppendOnlyModel`` refuses every delete;
- raw SQL ``DELETE``/``UPDATE`` (and so ``wushe flush`` on SQLite): the triggers of migration 0002;
- the admin: ``ReadOnlyAdmin`` grants no delete permission (no bulk "delete selected" either);
- ``wushe migrate audit <earlier>`` (which would drop the table): migration 0003 refuses to
  unapply while any event is younger than the minimum;
- ``wushe demo --rebuild`` (which removes the database file or flushes it): ``guard_wipe`` refuses
  a database that is not a demo database while it holds events younger than the minimum.

Archiving copies events older than a date into a zip with a SHA-256 manifest; it removes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from wushe.audit.codes import Action
from wushe.audit.exporters import audit_events_xlsx
from wushe.audit.models import AuditEvent
from wushe.core.errors import Conflict

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MIN_RETENTION_DAYS = 180
ARCHIVE_FORMAT = "wushe-audit-archive/1"


def cutoff(now: dt.datetime | None = None) -> dt.datetime:
    """Events at or after this instant are younger than the minimum retention."""
    return (now or timezone.now()) - dt.timedelta(days=MIN_RETENTION_DAYS)


def young_events() -> int:
    return AuditEvent.objects.unscoped(reason="audit: the district-wide log").filter(at__gte=cutoff()).count()


class RetentionRefused(Conflict):
    pass


def refuse_if_young(what_zh: str, what_en: str) -> None:
    """Raise RetentionRefused when any audit event is younger than the minimum retention."""
    n = young_events()
    if n:
        raise RetentionRefused(
            f"审计日志中有 {n} 条未满 {MIN_RETENTION_DAYS} 天的记录,不能{what_zh}",
            f"The audit log holds {n} events younger than {MIN_RETENTION_DAYS} days: "
            f"cannot {what_en}",
            code="audit_retention",
        )


def guard_wipe(*, is_demo_database: bool) -> None:
    """Called before a database is emptied: a real database's recent history is never wiped."""
    if not is_demo_database:
        refuse_if_young("清空数据库", "empty the database")


def _event_row(e: AuditEvent) -> dict[str, Any]:
    return {"id": e.pk, "at": e.at.isoformat(), "actor_id": e.actor_id,
            "actor_name": e.actor_name, "action": e.action, "target_type": e.target_type,
            "target_id": e.target_id, "target_label": e.target_label,
            "region_path": e.region_path, "data": e.data, "ip": e.ip}


def archive(*, before: dt.date, actor: Actor | None = None) -> tuple[bytes, dict[str, Any]]:
    """A zip of every event before ``before`` (local date): events.jsonl, events.xlsx and
    manifest.json (format, range, count, SHA-256 and size of each file). Audited."""
    start = timezone.make_aware(dt.datetime.combine(before, dt.time.min))
    qs = AuditEvent.objects.unscoped(reason="audit: the district-wide log").filter(at__lt=start).order_by("at", "id")
    jsonl = io.BytesIO()
    count = 0
    first = last = None
    for e in qs.iterator(chunk_size=2000):
        jsonl.write(json.dumps(_event_row(e), ensure_ascii=False, sort_keys=True).encode())
        jsonl.write(b"\n")
        count += 1
        first = first or e.at
        last = e.at
    files = {"events.jsonl": jsonl.getvalue(),
             "events.xlsx": audit_events_xlsx(qs.iterator(chunk_size=2000))}
    manifest = {
        "format": ARCHIVE_FORMAT,
        "before": before.isoformat(),
        "created_at": timezone.now().isoformat(),
        "events": count,
        "first_at": first.isoformat() if first else None,
        "last_at": last.isoformat() if last else None,
        "files": {name: {"sha256": hashlib.sha256(body).hexdigest(), "bytes": len(body)}
                  for name, body in files.items()},
    }
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in files.items():
            zf.writestr(name, body)
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    with transaction.atomic():
        from wushe.audit import recorder

        recorder.record(actor=actor, action=Action.AUDIT_ARCHIVED,
                        data={"before": before.isoformat(), "events": count,
                              "sha256": hashlib.sha256(files["events.jsonl"]).hexdigest()})
    return buf.getvalue(), manifest


def verify(content: bytes) -> dict[str, Any]:
    """Check an archive against its manifest; raise ValueError naming the first mismatch."""
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        for name, meta in manifest["files"].items():
            body = zf.read(name)
            if hashlib.sha256(body).hexdigest() != meta["sha256"] or len(body) != meta["bytes"]:
                raise ValueError(f"{name} does not match the manifest")
        lines = zf.read("events.jsonl").splitlines()
        if len(lines) != manifest["events"]:
            raise ValueError("events.jsonl does not hold the number of events in the manifest")
    return dict(manifest)
