from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from wushe.accounts.models import User
from wushe.conftest import PASSWORD
from wushe.core.scoping import scopes_disabled
from wushe.regions.models import Region


@pytest.fixture
def world(district: Region, street: Region, street_b: Region, community_a: Region,
          community_b: Region, make_user: Any) -> dict[str, Any]:
    """The conftest tree, its users, and fresh rollups (14,000 residents in two
    communities: a number to look for in the documents)."""
    from wushe.reports import rollup

    users = {
        "district": make_user("district_admin", district, "d_admin"),
        "street": make_user("street_staff", street, "s_staff"),
        "street_b": make_user("street_staff", street_b, "s_staff_b"),
        "community_a": make_user("community_staff", community_a, "c_staff_a"),
        "volunteer": make_user("volunteer", community_a, "vol"),
    }
    with scopes_disabled():
        rollup.refresh(trigger="test")
    return {"users": users, "district": district, "street": street, "street_b": street_b,
            "community_a": community_a, "community_b": community_b}


def login(user: User) -> Client:
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


@pytest.fixture
def data_dir(tmp_path: Path, settings: Any) -> Iterator[Path]:
    settings.DATA_DIR = tmp_path
    yield tmp_path
