"""Creating a person through the API: ID numbers, phones and region codes in other digit
scripts or with a zero-width space are refused (400, bilingual, nothing written) before any
blind index; full-width digits are read as ASCII."""

from __future__ import annotations

import pytest
from django.test import Client

from wushe.core.crypto import blind_index
from wushe.core.tests.scripts import REFUSED, full_width
from wushe.people.models import Person
from wushe.people.tests.test_api_people import ID_X, bearer

PHONE = "13912345678"


def create(region_code: str, **fields: str) -> object:
    return Client().post("/api/v1/people/", {"region_code": region_code, "name": "李四",
                                            **fields},
                         content_type="application/json", **bearer("staff_a"))


@pytest.mark.parametrize("script", sorted(REFUSED))
@pytest.mark.parametrize("field", ["id_number", "phone", "region_code"])
def test_person_with_a_foreign_script_identifier_is_refused(staff_a, community_a, field,
                                                           script) -> None:
    values = {"id_number": ID_X, "phone": PHONE, "region_code": community_a.code}
    values[field] = REFUSED[script](values[field])
    response = create(**values)  # type: ignore[arg-type]
    assert response.status_code == 400, response.content  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert body["code"] == "not_ascii"
    assert body["message"]["zh"] and body["message"]["en"]
    assert Person.objects.unscoped().count() == 0


def test_person_with_full_width_identifiers_is_stored_as_ascii(staff_a, community_a) -> None:
    response = create(full_width(community_a.code), id_number=full_width(ID_X),
                      phone=full_width(PHONE))
    assert response.status_code == 201, response.content  # type: ignore[attr-defined]
    person = Person.objects.unscoped().get()
    assert person.id_number == ID_X and person.phone == PHONE
    assert person.id_number_bidx == blind_index(ID_X)
    again = create(community_a.code, id_number=ID_X, phone=PHONE)  # the same person
    assert again.status_code != 201  # type: ignore[attr-defined]
    assert Person.objects.unscoped().count() == 1
