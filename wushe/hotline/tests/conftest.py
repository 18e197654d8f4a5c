"""Fixtures of the 12345 tests: the platform's service account (needs.intake over one street),
the shared secret, and a fake platform on 127.0.0.1 that receives our pushes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.utils import timezone

from wushe.accounts.models import User
from wushe.hotline.tests.fakes import FakePlatform
from wushe.regions.models import Region

SECRET = "test-12345-secret"


@pytest.fixture
def platform_account(make_user: Callable[..., User], street: Region) -> User:
    return make_user("street_staff", street, "platform12345")


@pytest.fixture
def hotline(settings: Any, platform_account: User, community_a: Region,
            community_b: Region) -> Iterator[FakePlatform]:
    settings.WUSHE_HOTLINE_SECRET = SECRET
    settings.WUSHE_HOTLINE_ACCOUNT = platform_account.username
    settings.WUSHE_HOTLINE_PUSH_TIMEOUT = 1
    settings.WUSHE_HOTLINE_RETRY_SECONDS = 60
    with FakePlatform(SECRET, hang_seconds=3) as fake:
        settings.WUSHE_HOTLINE_PUSH_URL = fake.url
        yield fake


def order(number: str = "CQ12345-20260305-0001", **kw: Any) -> dict[str, Any]:
    now = timezone.now()
    body: dict[str, Any] = {
        "number": number,
        "received_at": (now - dt.timedelta(hours=2)).isoformat(),
        "channel": "电话",
        "category": "养老",
        "content": "独居老人反映需要助餐服务,希望社区协调",
        "place": {"address": "杨家坪正街1号3单元", "community": "500107001001"},
        "contact": {"name": "王小明", "phone": "13912345678"},
        "deadline": (now + dt.timedelta(days=3)).isoformat(),
    }
    body.update(kw)
    return body
