"""The report family reads from the replica (#18 item 2): wushe.core.dbrouter and the
DATABASE_URL / DATABASE_REPLICA_URL parsing of wushe.core.dburl.

The "replica" alias is the test database itself through a second connection (Django's test
mirror, as ``dburl.replica`` declares it), so the tests count which alias ran each
query. The real standby serving the cockpit is scripts/topology-test.sh's part.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connections, transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from wushe.core import dbrouter, dburl
from wushe.core.dbrouter import reading_from_replica, replica_reads
from wushe.core.tests.procs import free_port
from wushe.regions.models import Region
from wushe.reports.tests.conftest import login, world  # noqa: F401 (the fixture)

YEAR = timezone.localdate().year
ROUTERS = ["wushe.core.dbrouter.ReplicaRouter"]


@pytest.fixture
def tree(world: dict[str, Any]) -> dict[str, Any]:  # noqa: F811 (the imported fixture)
    """The reports tests' world: regions, users and fresh rollups."""
    return world


def _swap_wrapper(wrapper: Any) -> Any:
    """Put ``wrapper`` (None: a fresh one) in place of the replica alias's wrapper; return the old."""
    old = getattr(connections._connections, dbrouter.REPLICA_ALIAS, None)
    if wrapper is None:
        if old is not None:
            delattr(connections._connections, dbrouter.REPLICA_ALIAS)
        wrapper = connections[dbrouter.REPLICA_ALIAS]
    setattr(connections._connections, dbrouter.REPLICA_ALIAS, wrapper)
    dbrouter._down_until["at"] = 0.0
    return old


@pytest.fixture(scope="module", autouse=True)
def _replica_alias() -> Iterator[None]:
    """For this module: a "replica" alias mirroring the test database, as dburl.replica
    declares it."""
    config = copy.deepcopy(connections["default"].settings_dict)
    config["TEST"] = {**config.get("TEST", {}), "MIRROR": "default"}
    connections.settings[dbrouter.REPLICA_ALIAS] = config
    try:
        yield
    finally:
        del connections.settings[dbrouter.REPLICA_ALIAS]
        if hasattr(connections._connections, dbrouter.REPLICA_ALIAS):
            delattr(connections._connections, dbrouter.REPLICA_ALIAS)


@pytest.fixture
def replica(settings: Any) -> Iterator[str]:
    """The replica router on. The "replica" alias runs its queries on the test's own database
    connection, so it sees the rows the test made in its transaction (as a mirror sees the
    committed ones); the tests count queries per alias. The real standby serving the cockpit
    is scripts/topology-test.sh's part."""
    settings.DATABASE_ROUTERS = ROUTERS
    connections["default"].ensure_connection()
    saved = _swap_wrapper(None)
    mine = connections[dbrouter.REPLICA_ALIAS]
    mine.connection = connections["default"].connection
    try:
        yield dbrouter.REPLICA_ALIAS
    finally:
        mine.connection = None  # never close the shared one
        _swap_wrapper(saved)


@pytest.fixture
def dead_replica(settings: Any) -> Iterator[str]:
    """The "replica" alias pointed at a server that does not answer."""
    saved = connections.settings[dbrouter.REPLICA_ALIAS]
    config = copy.deepcopy(saved)
    if config["ENGINE"].endswith("sqlite3"):
        config["NAME"] = "/nonexistent-wushe-dir/replica.sqlite3"
    else:
        config.update(HOST="127.0.0.1", PORT=str(free_port()))
        config["OPTIONS"] = {**config.get("OPTIONS", {}), "connect_timeout": 2}
    connections.settings[dbrouter.REPLICA_ALIAS] = config
    old = _swap_wrapper(None)
    settings.DATABASE_ROUTERS = ROUTERS
    try:
        yield dbrouter.REPLICA_ALIAS
    finally:
        connections[dbrouter.REPLICA_ALIAS].close()
        connections.settings[dbrouter.REPLICA_ALIAS] = saved
        if old is not None:
            _swap_wrapper(old)
        else:
            delattr(connections._connections, dbrouter.REPLICA_ALIAS)


class Counted:
    def __init__(self) -> None:
        self.default = CaptureQueriesContext(connections["default"])
        self.replica = CaptureQueriesContext(connections[dbrouter.REPLICA_ALIAS])

    def __enter__(self) -> Counted:
        self.default.__enter__()
        self.replica.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.replica.__exit__(*exc)
        self.default.__exit__(*exc)

    def sql(self, alias: str) -> list[str]:
        ctx = self.replica if alias == dbrouter.REPLICA_ALIAS else self.default
        return [q["sql"] for q in ctx.captured_queries]


def _rollup_reads(sqls: list[str]) -> list[str]:
    return [s for s in sqls if "reports_" in s and s.lstrip().upper().startswith("SELECT")]


@pytest.mark.django_db
def test_cockpit_page_reads_the_rollups_on_the_replica(tree: dict[str, Any],
                                                       replica: str) -> None:
    client = login(tree["users"]["district"])
    with Counted() as counted:
        page = client.get("/reports/")
    assert page.status_code == 200
    assert _rollup_reads(counted.sql(replica)), "the cockpit read no rollup on the replica"
    assert not _rollup_reads(counted.sql("default")), counted.sql("default")


@pytest.mark.django_db
def test_cockpit_api_reads_on_the_replica_and_answers_the_same(tree: dict[str, Any],
                                                               replica: str) -> None:
    client = login(tree["users"]["street"])
    url = f"/api/v1/reports/cockpit?region=500107001000&year={YEAR}"
    with Counted() as counted:
        r = client.get(url)
    assert r.status_code == 200
    assert _rollup_reads(counted.sql(replica))
    assert not _rollup_reads(counted.sql("default"))
    # Out of scope stays 404 through the replica.
    assert client.get(f"/api/v1/reports/cockpit?region=500107002000&year={YEAR}"
                      ).status_code == 404


@pytest.mark.django_db
def test_a_write_never_goes_to_the_replica_and_later_reads_follow_it(
        tree: dict[str, Any], replica: str) -> None:
    code = tree["community_a"].code
    with Counted() as counted, reading_from_replica() as used:
        assert used
        region = Region.objects.unscoped().get(code=code)
        assert region._state.db == replica
        region.name = "杨坪社区（改）"
        region.save(update_fields=["name"])  # read from the replica, saved on default
        again = Region.objects.unscoped().get(code=code)
    assert again._state.db == "default" and again.name == "杨坪社区（改）"
    replica_sql = counted.sql(replica)
    assert replica_sql and all(s.lstrip().upper().startswith("SELECT") for s in replica_sql)
    assert any(s.lstrip().upper().startswith("UPDATE") for s in counted.sql("default"))


@pytest.mark.django_db
def test_a_post_is_never_routed_to_the_replica(tree: dict[str, Any], replica: str) -> None:
    code = tree["community_a"].code

    @replica_reads
    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse(Region.objects.unscoped().get(code=code).name)

    factory = RequestFactory()
    with Counted() as counted:
        assert view(factory.post("/x")).status_code == 200
    assert counted.sql(replica) == []
    with Counted() as counted:
        assert view(factory.get("/x")).status_code == 200
    assert len(counted.sql(replica)) == 1 and counted.sql("default") == []


@pytest.mark.django_db
def test_inside_a_service_transaction_reads_stay_on_default(tree: dict[str, Any],
                                                            replica: str) -> None:
    code = tree["community_a"].code
    with Counted() as counted:
        with transaction.atomic(), reading_from_replica() as used:
            assert not used
            Region.objects.unscoped().get(code=code)
        with reading_from_replica() as used:  # entered outside, a service's atomic inside
            assert used
            with transaction.atomic():
                Region.objects.unscoped().get(code=code)
    assert counted.sql(replica) == []


def test_an_unreachable_replica_falls_back_to_default_with_one_warning(
        dead_replica: str, django_db_blocker: Any, caplog: pytest.LogCaptureFixture) -> None:
    router = dbrouter.ReplicaRouter()
    with django_db_blocker.unblock(), caplog.at_level(logging.WARNING, logger="wushe.dbrouter"):
        for _ in range(3):
            with reading_from_replica() as used:
                assert not used
                assert router.db_for_read(Region) == "default"
                with CaptureQueriesContext(connections["default"]) as on_default:
                    assert Region.objects.unscoped().count() >= 0
                assert len(on_default.captured_queries) == 1
    warnings = [r for r in caplog.records if r.name == "wushe.dbrouter"]
    assert len(warnings) == 1  # then not tried again for RETRY_SECONDS
    assert "replica unreachable" in warnings[0].getMessage()
    assert "nonexistent" not in warnings[0].getMessage()  # no address in the log
    dbrouter._down_until["at"] = 0.0  # the retry time passed: tried again, warned again
    with django_db_blocker.unblock(), caplog.at_level(logging.WARNING, logger="wushe.dbrouter"):
        with reading_from_replica() as used:
            assert not used
    assert len([r for r in caplog.records if r.name == "wushe.dbrouter"]) == 2


@pytest.mark.django_db
def test_without_a_replica_nothing_is_routed(tree: dict[str, Any], settings: Any) -> None:
    settings.DATABASE_ROUTERS = ROUTERS
    saved = connections.settings.pop(dbrouter.REPLICA_ALIAS)
    try:
        with reading_from_replica() as used:
            assert not used
            region = Region.objects.unscoped().get(code=tree["community_a"].code)
            assert region._state.db == "default"
    finally:
        connections.settings[dbrouter.REPLICA_ALIAS] = saved


# --- URLs -----------------------------------------------------------------------------------

def test_a_host_list_becomes_libpq_lists_and_finds_the_writable_server() -> None:
    config = dburl.parse("postgres://wushe:p%40ss@db1:5432,db2:5433/wushe")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["HOST"], config["PORT"]) == ("db1,db2", "5432,5433")
    assert (config["NAME"], config["USER"], config["PASSWORD"]) == ("wushe", "wushe", "p@ss")
    assert config["OPTIONS"] == {"target_session_attrs": "read-write", "connect_timeout": 5}
    assert config["CONN_MAX_AGE"] == 60 and config["CONN_HEALTH_CHECKS"] is True


def test_a_host_list_keeps_given_options_and_default_ports() -> None:
    config = dburl.parse("postgresql://u:p@db1,[::1]:6432/w?target_session_attrs=any"
                         "&connect_timeout=2&sslmode=require")
    assert (config["HOST"], config["PORT"]) == ("db1,::1", "5432,6432")
    assert config["OPTIONS"] == {"target_session_attrs": "any", "connect_timeout": 2,
                                 "sslmode": "require"}
    assert dburl.parse("postgres://u:p@db1,db2/w")["PORT"] == ""


def test_one_host_is_parsed_as_before() -> None:
    import dj_database_url

    for url in ("postgres://u:p@db1:5432/w?sslmode=require", "sqlite:////tmp/x.sqlite3"):
        assert dburl.parse(url) == dj_database_url.parse(url, conn_max_age=60)


@pytest.mark.parametrize("url", ["postgres://u:p@db1,,db2/w", "postgres://u:p@db1,:5432/w",
                                 "postgres://u:p@db1:x,db2/w", "mysql://u:secret@db1,db2/w"])
def test_a_broken_host_list_is_refused_without_the_password(url: str) -> None:
    with pytest.raises(dburl.DatabaseURLError) as caught:
        dburl.parse(url)
    assert "p@" not in str(caught.value) and "secret" not in str(caught.value)


def test_the_replica_alias_is_a_test_mirror_of_default() -> None:
    config = dburl.replica("postgres://u:p@db2:5432/wushe")
    assert config["TEST"] == {"MIRROR": "default"} and config["HOST"] == "db2"
