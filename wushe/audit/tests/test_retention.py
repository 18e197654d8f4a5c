"""No audit event younger than 180 days can be removed: each path that could remove one is tried.
The archive of older events is a zip whose manifest holds a SHA-256 per file."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction
from django.test import RequestFactory
from django.utils import timezone

from wushe.audit import recorder as audit
from wushe.audit import retention
from wushe.audit.codes import Action
from wushe.audit.models import AppendOnlyError, AuditEvent

OLD = timezone.make_aware(dt.datetime(2024, 1, 10, 9, 0))


@pytest.fixture
def young(root: Any) -> AuditEvent:
    return audit.record(actor=root, action=Action.REGION_CREATED, region_path="500107",
                        data={"code": "500107000000"})


def _still_there(event: AuditEvent) -> bool:
    return AuditEvent.objects.unscoped().filter(pk=event.pk).exists()


def test_orm_cannot_remove_a_young_event(young: AuditEvent) -> None:
    with pytest.raises(AppendOnlyError):
        young.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.unscoped().filter(at__gte=retention.cutoff()).delete()
    assert _still_there(young)


def test_sql_and_flush_cannot_remove_a_young_event(young: AuditEvent) -> None:
    if connection.vendor == "postgresql":
        # The test database lets its own teardown TRUNCATE (config/settings/test.py); this
        # session takes that back, as every production session has it.
        with connection.cursor() as cur:
            cur.execute("SET wushe.allow_truncate = 'off'")
        try:
            with pytest.raises((CommandError, DatabaseError)):
                with transaction.atomic(), connection.cursor() as cur:
                    cur.execute("TRUNCATE audit_auditevent")
            with pytest.raises((CommandError, DatabaseError)):
                with transaction.atomic():
                    call_command("flush", interactive=False, verbosity=0)
        finally:
            with connection.cursor() as cur:
                cur.execute("SET wushe.allow_truncate = 'on'")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute("DELETE FROM audit_auditevent WHERE id = %s", [young.pk])
    if connection.vendor == "sqlite":  # flush is DELETE here, refused by the row triggers
        with pytest.raises((CommandError, DatabaseError)):
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
    assert _still_there(young)


def test_admin_offers_no_delete(young: AuditEvent, root: Any) -> None:
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/admin/audit/auditevent/")
    request.user = root
    assert not model_admin.has_delete_permission(request, young)
    assert "delete_selected" not in model_admin.get_actions(request)


def test_unapplying_the_audit_migrations_is_refused(young: AuditEvent) -> None:
    from importlib import import_module

    migration = import_module("wushe.audit.migrations.0003_retention_guard")
    with pytest.raises(RuntimeError, match="180"):
        migration.refuse_if_young(apps, None)
    assert _still_there(young)


def test_unapplying_is_allowed_when_every_event_is_old(db: Any) -> None:
    from importlib import import_module

    AuditEvent.objects.create(at=OLD, action="regions.region.created")
    migration = import_module("wushe.audit.migrations.0003_retention_guard")
    migration.refuse_if_young(apps, None)  # no young event: nothing to refuse


def test_demo_rebuild_of_a_real_database_is_refused(young: AuditEvent) -> None:
    from wushe.demo import state

    with pytest.raises(CommandError, match="180"):
        call_command("demo", "--rebuild", "--no-serve", "--profile", "small")
    with pytest.raises(retention.RetentionRefused):
        state.wipe()
    assert _still_there(young)
    retention.guard_wipe(is_demo_database=True)  # a demo's generated history may go


def _archive(tmp_path: Path, before: str) -> tuple[Path, dict[str, Any]]:
    out = tmp_path / "audit.zip"
    buf = io.StringIO()
    call_command("audit", "archive", "--before", before, "-o", str(out), stdout=buf)
    return out, json.loads(buf.getvalue())


def test_archive_holds_old_events_with_a_checksum_manifest(young: AuditEvent,
                                                          tmp_path: Path) -> None:
    old = [AuditEvent.objects.create(at=OLD + dt.timedelta(hours=i), action="people.person.created",
                                     target_label="刘*郊", data={"n": i}) for i in range(3)]
    out, report = _archive(tmp_path, "2024-06-01")
    assert report["events"] == 3
    with zipfile.ZipFile(out) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert set(manifest["files"]) == {"events.jsonl", "events.xlsx"}
        for name, meta in manifest["files"].items():
            body = zf.read(name)
            assert hashlib.sha256(body).hexdigest() == meta["sha256"]
            assert len(body) == meta["bytes"]
        rows = [json.loads(line) for line in zf.read("events.jsonl").splitlines()]
    assert [r["id"] for r in rows] == [e.pk for e in old]
    assert young.pk not in {r["id"] for r in rows}
    assert manifest["events"] == 3 and manifest["before"] == "2024-06-01"
    # Archiving removes nothing, and is itself on record.
    assert all(_still_there(e) for e in [*old, young])
    assert AuditEvent.objects.unscoped().filter(action="audit.event.archived").count() == 1
    buf = io.StringIO()
    call_command("audit", "verify", str(out), stdout=buf)
    assert json.loads(buf.getvalue()) == {"ok": True, "events": 3}


def test_tampered_archive_fails_verification(db: Any, tmp_path: Path) -> None:
    AuditEvent.objects.create(at=OLD, action="people.person.created", data={"n": 1})
    out, _ = _archive(tmp_path, "2024-06-01")
    with zipfile.ZipFile(out) as zf:
        files = {n: zf.read(n) for n in zf.namelist()}
    files["events.jsonl"] = files["events.jsonl"].replace(b'"n": 1', b'"n": 2')
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(tampered, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    with pytest.raises(ValueError, match="events.jsonl"):
        retention.verify(tampered.read_bytes())
    with pytest.raises(SystemExit):
        call_command("audit", "verify", str(tampered), stdout=io.StringIO())


def test_archive_refuses_a_bad_date_and_an_existing_file(db: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError):
        call_command("audit", "archive", "--before", "2024-13-01", "-o", str(tmp_path / "a.zip"))
    (tmp_path / "a.zip").write_bytes(b"x")
    with pytest.raises(CommandError):
        call_command("audit", "archive", "--before", "2024-01-01", "-o", str(tmp_path / "a.zip"))
    assert not AuditEvent.objects.unscoped().filter(action="audit.event.archived").exists()
