"""A multi-host DATABASE_URL finds the writable server (#18 item 2), on two throwaway
PostgreSQL 15 clusters: the first read-only (as a standby is), the second writable. Django's
connection through ``dburl.parse`` lands on the writable one; when it dies and the first is
made writable (a promotion), a new connection lands there with the same settings."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import OperationalError, connections

from wushe.core import dburl, pgtemp

pytestmark = pytest.mark.skipif(not pgtemp.available(),
                                reason="PostgreSQL 15 server binaries are not installed")
ALIAS = "multihost"


@pytest.fixture(scope="module")
def pair() -> Iterator[tuple[pgtemp.TempCluster, pgtemp.TempCluster]]:
    standby = pgtemp.TempCluster.create(prefix="wushe-mh-a-",
                                        conf="default_transaction_read_only = on\nfsync = off")
    try:
        primary = pgtemp.TempCluster.create(prefix="wushe-mh-b-", conf="fsync = off")
    except BaseException:
        standby.destroy()
        raise
    try:
        yield standby, primary
    finally:
        primary.destroy()
        standby.destroy()


@pytest.fixture
def alias(django_db_blocker: Any) -> Iterator[Any]:
    """Install a settings dict as the ``multihost`` alias; return a function doing it."""

    def install(config: dict[str, Any]) -> Any:
        if hasattr(connections._connections, ALIAS):
            connections[ALIAS].close()
            delattr(connections._connections, ALIAS)
        # Django's defaults filled in as for a configured alias (TIME_ZONE, TEST, ...).
        connections.settings[ALIAS] = connections.configure_settings(
            {"default": {}, ALIAS: copy.deepcopy(config)})[ALIAS]
        return connections[ALIAS]

    with django_db_blocker.unblock():
        try:
            yield install
        finally:
            if hasattr(connections._connections, ALIAS):
                connections[ALIAS].close()
                delattr(connections._connections, ALIAS)
            connections.settings.pop(ALIAS, None)


def _port_of(conn: Any) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT current_setting('port')::int, "
                       "current_setting('transaction_read_only')")
        port, read_only = cursor.fetchone()
    assert read_only == "off"
    return int(port)


def test_the_multi_host_url_lands_on_the_writable_server(pair: Any, alias: Any) -> None:
    standby, primary = pair
    url = f"postgres://postgres@127.0.0.1:{standby.port},127.0.0.1:{primary.port}/postgres"
    config = dburl.parse(url)
    assert config["HOST"] == "127.0.0.1,127.0.0.1"
    conn = alias(config)
    assert _port_of(conn) == primary.port
    with conn.cursor() as cursor:  # and it takes writes
        cursor.execute("CREATE TABLE IF NOT EXISTS mh_probe (id int)")
        cursor.execute("INSERT INTO mh_probe VALUES (1)")
    # The same list the other way round: still the writable one.
    conn = alias(dburl.parse(
        f"postgres://postgres@127.0.0.1:{primary.port},127.0.0.1:{standby.port}/postgres"))
    assert _port_of(conn) == primary.port
    # Without target_session_attrs=read-write the first answering host would do: the
    # read-only one. The default is what finds the primary.
    conn = alias(dburl.parse(url + "?target_session_attrs=any"))
    with conn.cursor() as cursor:
        cursor.execute("SELECT current_setting('port')::int")
        assert cursor.fetchone()[0] == standby.port


def test_after_the_primary_dies_and_the_standby_is_promoted_new_connections_follow(
        pair: Any, alias: Any) -> None:
    standby, primary = pair
    url = f"postgres://postgres@127.0.0.1:{standby.port},127.0.0.1:{primary.port}/postgres"
    alias(dburl.parse(url))
    kept = connections.create_connection(ALIAS)  # an app server's kept connection
    assert _port_of(kept) == primary.port
    primary.stop("immediate")
    try:
        # No writable server: a clear refusal, not a connection to the read-only one.
        conn = alias(dburl.parse(url))
        with pytest.raises(OperationalError):
            conn.ensure_connection()
        # "Promotion": the remaining server takes writes.
        standby.sql("ALTER SYSTEM SET default_transaction_read_only = off")
        standby.reload()
        conn = alias(dburl.parse(url))
        assert _port_of(conn) == standby.port
        # The kept connection, at the app server's next request (request_started: close what
        # is obsolete; the first query checks the connection's health): it reconnects to the
        # promoted server by itself, and the request does not fail.
        kept.close_if_unusable_or_obsolete()
        assert _port_of(kept) == standby.port
    finally:
        kept.close()
        standby.sql("ALTER SYSTEM RESET default_transaction_read_only")
        standby.reload()
        primary.start()
