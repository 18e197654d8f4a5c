"""Organisations' personal names at rest (#22): the person in charge and the members are
ciphertext in the database; the audit log records a changed person in charge masked."""

from __future__ import annotations

from django.db import connection

from wushe.audit.models import AuditEvent
from wushe.orgs.services.organisation import org_create, org_update
from wushe.orgs.services.roster import member_add


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return str(cur.fetchone()[0])


def test_person_in_charge_and_members_are_ciphertext(root, community_a):
    org = org_create(actor=root, region=community_a, status="incubating", name="杨坪邻里互助会",
                     category="public_service", person_in_charge="钱负责人")
    member = member_add(actor=root, org=org, name="孙会员甲")
    assert "钱负责人" not in raw("orgs_socialorganization", "person_in_charge", org.pk)
    assert "孙会员甲" not in raw("orgs_orgmember", "name", member.pk)
    org.refresh_from_db()
    assert org.person_in_charge == "钱负责人" and org.masked_person_in_charge == "钱*责人"


def test_changed_person_in_charge_is_masked_in_the_audit_log(root, community_a):
    org = org_create(actor=root, region=community_a, status="incubating", name="杨坪邻里互助会",
                     category="public_service", person_in_charge="钱负责人")
    org_update(actor=root, org=org, person_in_charge="李新负责")
    event = AuditEvent.objects.unscoped().get(action="orgs.org.updated", target_id=str(org.pk))
    assert event.data["person_in_charge"] == {"old": "钱*责人", "new": "李*负责"}
