"""Reports read from the standby (#18 item 2): the "replica" alias and its router.

``DATABASE_REPLICA_URL`` adds a "replica" alias (the streaming standby, or a list of hosts with
``target_session_attrs=prefer-standby``) and puts ``ReplicaRouter`` after the cache router.

Why a context manager and not routing by model: the cockpit, the big screen, the KPI export
and the reports API read rollups, regions and grants, and the same models are read by every
service that is about to write (a need's region, an account's grants). Routing by model would
send those to a standby that lags, and a service would check permission or state on a stale
row. So nothing goes to the replica unless a read-only view asks for it, for its own duration:

    @replica_reads                      # a GET view of the report family
    def cockpit(request): ...

    with reading_from_replica():        # or around a selector
        data = charts.cockpit(...)

Inside, reads go to the replica unless

* the request is not GET or HEAD (``replica_reads``),
* the default connection is inside a transaction of ours (a service's ``atomic``): what it
  reads must be what it will write against,
* something was written since the context began (read-your-writes: every write is routed,
  and a write marks the context; the rest of it reads from default),
* the replica does not answer: one warning in the log, and reads stay on default; it is tried
  again after ``RETRY_SECONDS``.

Writes always go to default, also for an instance that was read from the replica (Django would
otherwise save it where it came from). No migration runs on the replica: it is a physical
copy of default.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from django.db import DatabaseError, connections

REPLICA_ALIAS = "replica"
DEFAULT_ALIAS = "default"
RETRY_SECONDS = 30.0

logger = logging.getLogger("wushe.dbrouter")

F = TypeVar("F", bound=Callable[..., Any])


class _State:
    __slots__ = ("wrote",)

    def __init__(self) -> None:
        self.wrote = False


_current: contextvars.ContextVar[_State | None] = contextvars.ContextVar(
    "wushe_replica_reads", default=None)
_down_until = {"at": 0.0}


def replica_configured() -> bool:
    return REPLICA_ALIAS in connections.settings


def _in_our_transaction() -> bool:
    """The default connection is inside an ``atomic`` block other than a test case's own."""
    conn = connections[DEFAULT_ALIAS]
    if not conn.in_atomic_block:
        return False
    return any(not getattr(block, "_from_testcase", False) for block in conn.atomic_blocks)


def _replica_answers() -> bool:
    if time.monotonic() < _down_until["at"]:
        return False
    try:
        connections[REPLICA_ALIAS].ensure_connection()
    except DatabaseError as exc:
        _down_until["at"] = time.monotonic() + RETRY_SECONDS
        # The error class only: its text may carry the host and the user name.
        logger.warning("replica unreachable (%s); reports read from default for %.0f s",
                       type(exc).__name__, RETRY_SECONDS)
        return False
    return True


@contextmanager
def reading_from_replica() -> Iterator[bool]:
    """Route this block's reads to the replica when it is safe (see the module); yields whether
    they do. Nested use keeps the outer decision."""
    outer = _current.get()
    if outer is not None:
        yield not outer.wrote
        return
    use = replica_configured() and not _in_our_transaction() and _replica_answers()
    if not use:
        yield False
        return
    token = _current.set(_State())
    try:
        yield True
    finally:
        _current.reset(token)


def replica_reads(view: F) -> F:
    """A view decorator: a GET or HEAD request's reads from the replica (``reading_from_replica``)."""

    @functools.wraps(view)
    def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
        if getattr(request, "method", None) not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with reading_from_replica():
            return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


class ReplicaRouter:
    """Reads inside ``reading_from_replica`` to the replica; everything else to default."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        state = _current.get()
        if state is not None and not state.wrote and not _in_our_transaction():
            return REPLICA_ALIAS
        return DEFAULT_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        state = _current.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        pair = {DEFAULT_ALIAS, REPLICA_ALIAS}
        if obj1._state.db in pair and obj2._state.db in pair:
            return True  # the same database, one of them through the standby
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if db == REPLICA_ALIAS else None
