"""AuditEvent and PiiAccess cannot be rewritten: not through the ORM, not through raw SQL."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from wushe.audit import recorder as audit
from wushe.audit.codes import Action
from wushe.audit.models import AppendOnlyError, AuditEvent, PiiAccess


@pytest.fixture
def event(root):
    with transaction.atomic():
        return audit.record(actor=root, action=Action.REGION_CREATED, region_path="500107",
                            data={"code": "500107000000"})


def test_orm_refuses_update_and_delete(event):
    event.action = "tampered"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.unscoped().filter(pk=event.pk).update(action="tampered")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.unscoped().filter(pk=event.pk).delete()
    assert AuditEvent.objects.unscoped().get(pk=event.pk).action == "regions.region.created"


@pytest.mark.parametrize("sql", [
    "UPDATE audit_auditevent SET action = 'tampered'",
    "DELETE FROM audit_auditevent",
])
def test_database_refuses_raw_update_and_delete(event, sql):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert AuditEvent.objects.unscoped().get(pk=event.pk).action == "regions.region.created"


@pytest.mark.parametrize("sql", ["UPDATE audit_piiaccess SET purpose = 'x'",
                                 "DELETE FROM audit_piiaccess"])
def test_database_refuses_raw_changes_to_pii_access(root, sql, person_factory=None):
    from wushe.people.models import Person

    with transaction.atomic():
        subject = Person(pk=1, name="张三", region_path="500107001001")
        audit.pii_access(actor=root, subject=subject, field="phone", purpose="回访联系")
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    assert PiiAccess.objects.unscoped().count() == 1


def test_unknown_action_code_is_refused(root):
    with pytest.raises(TypeError):
        audit.record(actor=root, action="people.person.creatd")  # type: ignore[arg-type]


def test_records_ip_from_request_context(root):
    from wushe.core.context import current_ip

    token = current_ip.set("10.1.2.3")
    try:
        e = audit.record(actor=root, action=Action.SITE_CREATED)
    finally:
        current_ip.reset(token)
    assert e.ip == "10.1.2.3"
