from __future__ import annotations

from typing import Any

import pytest

from wushe.volunteers.tests.factories import VWorld, build_vworld


@pytest.fixture
def vw(db: Any) -> VWorld:
    return build_vworld()
