"""The 500s the permission matrix found, each pinned by a test of its own."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.roles import ADMIN_ROLES
from wushe.conftest import make_id_number
from wushe.people.services import person_create
from wushe.regions.models import Region


@pytest.mark.parametrize("role", sorted(ADMIN_ROLES))
def test_home_page_of_an_administrator_role_without_tasks(
        role: str, make_user: Callable[..., User], district: Region) -> None:
    client = Client()
    client.force_login(make_user(role, district), backend="wushe.accounts.backends.LockoutBackend")
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_guardian_lookup_outside_htmx_goes_to_the_person_page(
        staff_a: User, community_a: Region) -> None:
    person = person_create(actor=staff_a, region=community_a, name="陈大海",
                           id_number=make_id_number(seq="123"))
    client = Client()
    client.force_login(staff_a, backend="wushe.accounts.backends.LockoutBackend")
    url = f"/people/{person.pk}/guardian"
    plain = client.get(url)
    assert plain.status_code == 302 and plain["Location"] == f"/people/{person.pk}/"
    # The lookup posts the ID number (never in a URL); htmx gets the fragment.
    fragment = client.post(url, {"guardian_id_number": make_id_number(seq="999")},
                           HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    assert b"<html" not in fragment.content
