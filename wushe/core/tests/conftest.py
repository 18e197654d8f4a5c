"""The stacks the process tests run on: "database" (django-tasks-db and the SQLite cache, the
embedded default) and "redis" (RQ and Django's Redis cache, on a redis-server this session
starts). A test takes ``stack`` (or ``module_stack``): the extra environment of its processes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from wushe.core.tests.procs import STACKS, RedisServer


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


def _stack_env(request: pytest.FixtureRequest) -> dict[str, str]:
    if request.param == "database":
        return {}
    server: RedisServer = request.getfixturevalue("redis_server")
    return server.stack_env()


@pytest.fixture(params=STACKS)
def stack(request: pytest.FixtureRequest) -> dict[str, str]:
    return _stack_env(request)


@pytest.fixture(scope="module", params=STACKS)
def module_stack(request: pytest.FixtureRequest) -> dict[str, str]:
    return _stack_env(request)
