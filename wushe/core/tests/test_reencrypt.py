"""Key rotation: values written under k1 move to k2; reads work before, during and after."""

from __future__ import annotations

import base64
import os

from django.db import connection
from django.test import override_settings

from wushe.audit.models import AuditEvent
from wushe.core.crypto import KeyRing
from wushe.core.reencrypt import reencrypt_all
from wushe.people.models import Person
from wushe.people.services import person_create

K1 = "k1:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
K2 = "k2:" + base64.urlsafe_b64encode(os.urandom(32)).decode()


def raw_id_number(pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute("SELECT id_number FROM people_person WHERE id = %s", [pk])
        return cur.fetchone()[0]


def test_rotation_moves_every_value_to_the_new_key(root, community_a):
    with override_settings(WUSHE_PII_KEYS=K1):
        p = person_create(actor=root, region=community_a, name="张三",
                          id_number="11010519491231002X", phone="13912345678")
        assert raw_id_number(p.pk).startswith("k1$")
    with override_settings(WUSHE_PII_KEYS=f"{K2},{K1}"):
        assert Person.objects.unscoped().get(pk=p.pk).id_number == "11010519491231002X"
        counts = reencrypt_all(batch=1)
        assert counts["people.Person"] == 1
        assert raw_id_number(p.pk).startswith("k2$")
        assert reencrypt_all()["people.Person"] == 0  # idempotent
    with override_settings(WUSHE_PII_KEYS=K2):  # the old key can now be dropped
        fresh = Person.objects.unscoped().get(pk=p.pk)
        assert (fresh.id_number, fresh.phone) == ("11010519491231002X", "13912345678")
    assert AuditEvent.objects.unscoped().filter(action="core.pii.reencrypted").count() == 2


def test_keyring_refuses_bad_keys():
    import pytest

    with pytest.raises(ValueError):
        KeyRing("k1:" + base64.urlsafe_b64encode(b"short").decode())
    with pytest.raises(ValueError):
        KeyRing("nokey")
