from __future__ import annotations

from typing import Any

import pytest

from wushe.orgs.tests.conftest import OrgWorld, ow  # noqa: F401  (shared fixture)
from wushe.people.models import Person
from wushe.people.services import person_create
from wushe.web.tests.factories import id_number


@pytest.fixture
def persons(ow: OrgWorld) -> dict[str, Person]:  # noqa: F811  (the imported fixture)
    """Residents of both streets who can be hired."""
    admin = ow.users["admin"]
    out = {}
    for key, name, region, seq in [("a1", "陈晓", ow.community_a, "111"),
                                   ("a2", "刘洋", ow.community_a, "112"),
                                   ("a3", "赵敏", ow.community_b, "113"),
                                   ("c1", "孙丽", ow.community_c, "114")]:
        out[key] = person_create(actor=admin, region=region, name=name,
                                 id_number=id_number(birth="19900101", seq=seq))
    return out


def community_worker_values(**extra: Any) -> dict[str, Any]:
    return {"post": 3, "grade": 4, "education": "bachelor", "hired_on": "2019-06-01", **extra}
