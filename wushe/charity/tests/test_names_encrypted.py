"""Donors' names at rest (#22): encrypted for every donor, found only by the exact normalised
full name (through ``name_bidx``) or the credit code; shown by kind."""

from __future__ import annotations

import pytest
from django.core.exceptions import FieldError
from django.db import connection

from wushe.charity import selectors
from wushe.charity.models import Donor
from wushe.charity.selectors import DonorFilters
from wushe.people.names import name_index


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cur:
        cur.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])  # noqa: S608
        return cur.fetchone()[0]


def test_donor_names_are_ciphertext_with_a_blind_index(enterprise, individual):
    assert "王小明" not in raw("charity_donor", "name", individual.pk)
    assert "爱心实业" not in raw("charity_donor", "name", enterprise.pk)
    assert raw("charity_donor", "name_bidx", individual.pk) == name_index("王小明")
    # Shown by kind: an enterprise's name in full, a person's masked.
    assert enterprise.display_name == "重庆爱心实业有限公司"
    assert individual.display_name != "王小明" and individual.display_name.startswith("王")


def test_donor_search_is_exact_full_name_or_credit_code(admin, enterprise, individual):
    def found(q: str) -> set[int]:
        return set(selectors.donor_list(actor=admin, filters=DonorFilters(q=q))
                   .values_list("pk", flat=True))

    assert found("王 小明") == {individual.pk}  # normalised: spaces, full width
    assert found("重庆爱心实业有限公司") == {enterprise.pk}
    assert found("王") == set()  # no prefix search over ciphertext
    assert found(enterprise.credit_code) == {enterprise.pk}


def test_bulk_paths_fill_the_blind_index(admin, district):
    [d] = Donor.objects.bulk_create([Donor(kind="person", name="赵六", region=district,
                                           region_path=district.path)])
    assert Donor.objects.unscoped().filter(name="赵六").get().pk == d.pk
    Donor.objects.unscoped().filter(pk=d.pk).update(name="赵七")
    assert Donor.objects.unscoped().filter(name="赵七").exists()
    assert not Donor.objects.unscoped().filter(name="赵六").exists()
    with pytest.raises(FieldError):
        list(Donor.objects.unscoped().filter(name__startswith="赵"))


def test_reencrypt_recomputes_name_indexes_after_a_switch_to_sm4(admin, district, community_a):
    """``wushe reencrypt`` after an SM4 rotation: the names' blind indexes (a donor's and a
    person's, both registered from their apps' ready()) follow the new suite."""
    import base64
    import os

    from django.test import override_settings

    from wushe.core.crypto import SM_SUITE
    from wushe.core.reencrypt import reencrypt_all
    from wushe.people.models import Person
    from wushe.people.services import person_create

    aes = "k1:" + base64.urlsafe_b64encode(os.urandom(32)).decode()
    sm4 = f"k2:{SM_SUITE}:" + base64.urlsafe_b64encode(os.urandom(16)).decode()
    with override_settings(WUSHE_PII_KEYS=aes):
        donor = Donor.objects.create(kind="person", name="钱 多多", region=district,
                                     region_path=district.path)
        person = person_create(actor=admin, region=community_a, name="孙 悟空")
        old = raw("charity_donor", "name_bidx", donor.pk)
    with override_settings(WUSHE_PII_KEYS=f"{sm4},{aes}"):
        assert not Donor.objects.unscoped().filter(name="钱多多").exists()  # index still AES
        reencrypt_all()
        assert raw("charity_donor", "name_bidx", donor.pk) == name_index("钱多多") != old
        assert raw("charity_donor", "name", donor.pk).startswith("k2$")
        assert Donor.objects.unscoped().get(name="钱多多").pk == donor.pk
        assert Person.objects.unscoped().get(name="孙悟空").pk == person.pk
