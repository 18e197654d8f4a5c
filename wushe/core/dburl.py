"""DATABASE_URL and DATABASE_REPLICA_URL into Django database settings, with a host list (#18).

``dj_database_url.parse`` refuses a URL with several hosts, which is how libpq finds the
writable server of a primary and its standby:

    postgres://wushe:pw@db1:5432,db2:5433/wushe?target_session_attrs=read-write

Here the hosts are taken out, the URL is parsed with the first one, and HOST and PORT become
libpq's comma lists ("db1,db2", "5432,5433"), which Django hands to psycopg unchanged. With
several hosts, ``target_session_attrs`` defaults to ``read-write`` (after the primary dies and
the standby is promoted, new connections land on the promoted server without a change of
settings), ``connect_timeout`` to 5 seconds (libpq applies it per host, so a host that
does not answer costs at most that before the next is tried) and ``CONN_HEALTH_CHECKS`` is
on (a kept connection to the dead primary is replaced at the next request's first query).

Pure functions of strings: settings import this module before Django is set up.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

MULTI_HOST_CONNECT_TIMEOUT = 5


class DatabaseURLError(ValueError):
    """A database URL the settings cannot use (the message names the part, never the password)."""


def _split_hosts(netloc: str) -> tuple[str, list[tuple[str, str]]]:
    """("user:pw@", [(host, port), ...]) of a URL's network location."""
    userinfo, _, hostlist = netloc.rpartition("@")
    hosts: list[tuple[str, str]] = []
    for part in hostlist.split(","):
        if not part:
            raise DatabaseURLError("database URL: an empty host in the host list")
        if part.startswith("["):  # [IPv6]:port
            host, _, rest = part[1:].partition("]")
            port = rest.removeprefix(":")
        else:
            host, _, port = part.partition(":")
        if not host:
            raise DatabaseURLError("database URL: an empty host in the host list")
        if port and not port.isdigit():
            raise DatabaseURLError("database URL: a port that is not a number")
        hosts.append((host, port))
    return (userinfo + "@" if userinfo else ""), hosts


def parse(url: str, *, conn_max_age: int = 60) -> dict[str, Any]:
    """Django's settings of one database from ``url``; a PostgreSQL URL may list hosts."""
    import dj_database_url

    parts = urlsplit(url)
    userinfo, hosts = _split_hosts(parts.netloc) if parts.netloc else ("", [])
    if len(hosts) <= 1:
        return dict(dj_database_url.parse(url, conn_max_age=conn_max_age))
    if not parts.scheme.startswith("postgres"):
        raise DatabaseURLError("database URL: a host list is for PostgreSQL only")
    first_host, first_port = hosts[0]
    shown = f"[{first_host}]" if ":" in first_host else first_host
    single = urlunsplit(parts._replace(
        netloc=f"{userinfo}{shown}" + (f":{first_port}" if first_port else "")))
    config = dict(dj_database_url.parse(single, conn_max_age=conn_max_age))
    config["HOST"] = ",".join(h for h, _ in hosts)
    ports = [p for _, p in hosts]
    # libpq: one port for all hosts, or one port per host.
    config["PORT"] = ",".join(p or "5432" for p in ports) if any(ports) else ""
    given = config.get("OPTIONS")
    options: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
    options.setdefault("target_session_attrs", "read-write")
    options.setdefault("connect_timeout", MULTI_HOST_CONNECT_TIMEOUT)
    config["OPTIONS"] = options
    # A kept connection (CONN_MAX_AGE) to a server that died is found at the request's first
    # query (one SELECT 1) and replaced, through the host list, by one to the promoted server,
    # instead of failing that request.
    config["CONN_HEALTH_CHECKS"] = True
    return config


def replica(url: str, *, conn_max_age: int = 60) -> dict[str, Any]:
    """The "replica" alias: read-only reads of reports (wushe.core.dbrouter); in tests a mirror
    of "default" (the same test database through a second connection)."""
    config = parse(url, conn_max_age=conn_max_age)
    config["CONN_HEALTH_CHECKS"] = True  # a standby that went away is noticed, not used
    config["TEST"] = {"MIRROR": "default"}
    return config
