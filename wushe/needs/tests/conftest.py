"""Fixtures of the needs tests: a small district (wushe/conftest.py) and needs made through the
services; the rate limiter's cache is emptied between tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client

from wushe.accounts.models import User
from wushe.accounts.tests.otp_helpers import token_body
from wushe.conftest import PASSWORD
from wushe.needs import services
from wushe.needs.models import Need
from wushe.regions.models import Region
from wushe.regions.services import region_create


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    from wushe.needs.sla import clear_rule_cache

    cache.clear()
    clear_rule_cache()  # a rolled-back override must not outlive its test


@pytest.fixture
def grid_a(root: User, community_a: Region) -> Region:
    return region_create(actor=root, code="500107001001001", name="杨坪第一网格", kind="grid",
                         parent=community_a)


@pytest.fixture
def street_user(make_user: Callable[..., User], street: Region) -> User:
    return make_user("street_staff", street, "street_user")


@pytest.fixture
def district_user(make_user: Callable[..., User], district: Region) -> User:
    return make_user("district_admin", district, "district_user")


@pytest.fixture
def worker_a(make_user: Callable[..., User], community_a: Region) -> User:
    return make_user("social_worker", community_a, "worker_a")


@pytest.fixture
def submit() -> Callable[..., Need]:
    """A public 点单 in a community (as a resident would send it)."""
    counter = {"n": 0}

    def make(community: Region, *, category: str = "elderly_care", phone: str | None = None,
             **kw: Any) -> Need:
        counter["n"] += 1
        done = services.need_submit_public(
            category=category, description=kw.pop("description", "独居老人需要助餐服务"),
            community=community.code, contact_name=kw.pop("contact_name", "王小明"),
            contact_phone=phone or f"139{counter['n']:08d}", consent=True, **kw)
        return done.need

    return make


@pytest.fixture
def accepted(submit: Callable[..., Need], staff_a: User, community_a: Region) -> Need:
    return services.need_accept(actor=staff_a, need=submit(community_a))


def client_for(user: User) -> Client:
    c = Client()
    c.force_login(user, backend="wushe.accounts.backends.LockoutBackend")
    return c


def bearer(username: str) -> dict[str, str]:
    # token_body adds the one-time code for the roles that need one
    token = Client().post("/api/v1/auth/token", token_body(username, PASSWORD),
                          content_type="application/json").json()["token"]
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def committee(user: User, role: str = "lead") -> services.AssignmentSpec:
    return services.AssignmentSpec("committee", str(user.pk), role)

