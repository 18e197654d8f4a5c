"""Shared fixtures: a tiny district built through the services, and users of each role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from wushe.accounts.models import User
from wushe.accounts.services import user_create
from wushe.core.ids import id_check_digit
from wushe.regions.models import Region
from wushe.regions.services import region_create
from wushe.web.tests.browser import browser, demo_template, server, shots  # noqa: F401  (shared fixtures)

PASSWORD = "Test-Passw0rd!"


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Rate-limit windows and login counters live in the cache: one test's must not reach the
    next (the tests' cache is the process's memory, see config/settings/test.py)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _jobs_dir(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Page jobs (imports, reports, exports) started by any test write under a temporary
    directory, never into the data directory; created only when a job asks for it."""
    from wushe.core import progress

    made: list[Any] = []

    def jobs_dir() -> Any:
        if not made:
            made.append(tmp_path_factory.mktemp("jobs"))
        return made[0]

    monkeypatch.setattr(progress, "jobs_dir", jobs_dir)


def make_id_number(region6: str = "500107", birth: str = "19800101", seq: str = "123") -> str:
    first17 = f"{region6}{birth}{seq}"
    return first17 + id_check_digit(first17)


@pytest.fixture
def root(db: Any) -> User:
    return user_create(actor=None, username="root", password=PASSWORD, is_superuser=True,
                       check_password=False)


@pytest.fixture
def district(root: User) -> Region:
    return region_create(actor=root, code="500107000000", name="九龙坡区", kind="district",
                         parent=None, population=0)


@pytest.fixture
def street(root: User, district: Region) -> Region:
    return region_create(actor=root, code="500107001000", name="杨家坪街道", kind="street",
                         parent=district)


@pytest.fixture
def street_b(root: User, district: Region) -> Region:
    return region_create(actor=root, code="500107002000", name="黄桷坪街道", kind="street",
                         parent=district)


@pytest.fixture
def community_a(root: User, street: Region) -> Region:
    return region_create(actor=root, code="500107001001", name="杨坪社区", kind="community",
                         parent=street, population=8000, households=3000)


@pytest.fixture
def community_b(root: User, street: Region) -> Region:
    return region_create(actor=root, code="500107001002", name="西郊社区", kind="community",
                         parent=street, population=6000, households=2200)


@pytest.fixture
def make_user(db: Any) -> Callable[..., User]:
    counter = {"n": 0}

    def make(role: str, region: Region, username: str | None = None) -> User:
        counter["n"] += 1
        return user_create(actor=None, username=username or f"{role}_{counter['n']}",
                           password=PASSWORD, grants=[(role, region)], check_password=False)

    return make


@pytest.fixture
def staff_a(make_user: Callable[..., User], community_a: Region) -> User:
    return make_user("community_staff", community_a, "staff_a")


@pytest.fixture
def staff_b(make_user: Callable[..., User], community_b: Region) -> User:
    return make_user("community_staff", community_b, "staff_b")


@pytest.fixture
def held_jobs(settings: Any, inline_jobs: Any) -> Any:
    """No worker takes the page jobs (Django's DummyBackend keeps what is enqueued): the job
    waits as queued until the test runs it with ``progress.job_execute``."""
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    return inline_jobs


@pytest.fixture
def inline_jobs(monkeypatch: pytest.MonkeyPatch, tmp_path: Any) -> Any:
    """Page jobs (imports, reports) keep their files under ``tmp_path``. The tests' task
    backend (Django's ImmediateBackend) runs them inline at enqueue, on the test's own
    connection, so they see its uncommitted rows; the worker's own tests start real
    ``wushe worker`` processes."""
    from wushe.core import progress

    monkeypatch.setattr(progress, "jobs_dir", lambda: tmp_path)
    return tmp_path
