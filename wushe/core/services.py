"""The shape every write takes: one transaction, outside the read-scope safety net.

Services decide permission themselves (``scope.require`` first thing), so inside them the
ScopedManager guard is lifted; an exception anywhere rolls the whole write back, audit
event included.

Every service is marked (``is_service``), so a test can hold every public function of a
services module to being one; and with ``WUSHE_CHECK_SERVICE_AUDIT`` on (the test settings)
a service that changes a record without writing its audit event fails the test that called
it (``UnauditedWrite``): the whole suite is the check that every write is audited.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import re
from collections.abc import Callable, Iterator
from typing import Any, ParamSpec, TypeVar

from django.conf import settings
from django.db import connection, transaction

from wushe.core.scoping import scopes_disabled

P = ParamSpec("P")
R = TypeVar("R")

MARK = "__wushe_service__"

# Tables a service may write without an audit event of its own: machinery, not records a
# person changed (sessions, the task queue, notification deliveries, derived figures, the
# demo's build log). A record of the district is never on this list.
UNAUDITED_TABLES = frozenset({
    "django_session", "django_tasks_database_dbtaskresult", "core_periodicjob",
    "notifications_notification", "notifications_delivery", "notifications_deliveryattempt",
    "notifications_smsquota", "notifications_worksnapshot",
    "reports_kpirollup", "reports_rolluprun", "demo_demobuild",
})
AUDIT_TABLES = frozenset({"audit_auditevent", "audit_piiaccess"})

_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)


class UnauditedWrite(AssertionError):
    """A service changed records and wrote no audit event (raised only under the check)."""


class _Watch:
    def __init__(self) -> None:
        self.written: set[str] = set()
        self.audited = False

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool,
                 context: Any) -> Any:
        # Counted once the statement ran: one the database refused (a lost race on a unique
        # key, caught in a savepoint) changed nothing.
        result = execute(sql, params, many, context)
        match = _WRITE.match(sql)
        # An UPDATE or DELETE that matched no row changed nothing. Not an INSERT: one with
        # RETURNING (Django on SQLite, PostgreSQL) reports rowcount 0 until its rows are fetched.
        if match and (sql.lstrip()[:6].upper() == "INSERT"
                      or getattr(context.get("cursor"), "rowcount", -1) != 0):
            table = match.group(1).lower()
            if table in AUDIT_TABLES:
                self.audited = True
            elif table not in UNAUDITED_TABLES:
                self.written.add(table)
        return result


_watch: contextvars.ContextVar[_Watch | None] = contextvars.ContextVar("service_watch", default=None)


@contextlib.contextmanager
def _audit_check(name: str) -> Iterator[None]:
    """The outermost service watches its statements; nested services add to its count."""
    if not getattr(settings, "WUSHE_CHECK_SERVICE_AUDIT", False) or _watch.get() is not None:
        yield
        return
    watch = _Watch()
    token = _watch.set(watch)
    try:
        with connection.execute_wrapper(watch):
            yield
    finally:
        _watch.reset(token)
    if watch.written and not watch.audited:
        raise UnauditedWrite(f"service {name} wrote {sorted(watch.written)} and no audit event")


def service(fn: Callable[P, R]) -> Callable[P, R]:
    name = f"{fn.__module__}.{fn.__qualname__}"

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(), scopes_disabled(), _audit_check(name):
            return fn(*args, **kwargs)

    setattr(wrapper, MARK, True)
    return wrapper


def is_service(fn: object) -> bool:
    return bool(getattr(fn, MARK, False))
