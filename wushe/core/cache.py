"""The embedded shared cache: Django's database cache in its own SQLite file (the "cache" alias).

Rate limits, login-failure counters and lockouts must be shared by every server process and
worker, so the default per-process LocMemCache will not do. Without ``WUSHE_CACHE_URL`` (Redis)
the settings put Django's cache in ``DATA_DIR/cache.sqlite3``, apart from the main database: on
SQLite a long import holds the main file's write lock for minutes, and a rate-limit check must
never wait for it.

Two things Django's DatabaseCache lacks here:

- ``incr`` is read-then-write in two statements (``get`` then ``set``), so two processes counting
  at once lose increments, and the ``set`` resets the key's expiry to the default timeout. Here
  the read-modify-write runs in one IMMEDIATE transaction (the file's write lock taken at BEGIN)
  and keeps the expiry. ``add`` already runs its check and write in one such transaction.
- its table comes from ``createcachetable``, an extra setup step. Here it is created, if
  missing, whenever a connection to the alias opens.
"""

from __future__ import annotations

import base64
import pickle
from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.utils.timezone import now as tz_now

CACHE_ALIAS = "cache"
CACHE_APP_LABEL = "django_cache"  # the app label of Django's cache "model" (for the router)

_TABLES: set[str] = set()


class CacheRouter:
    """Django's cache entries to the "cache" alias, nothing else there, no migrations on it."""

    def db_for_read(self, model: Any, **hints: Any) -> str | None:
        return CACHE_ALIAS if model._meta.app_label == CACHE_APP_LABEL else None

    def db_for_write(self, model: Any, **hints: Any) -> str | None:
        return CACHE_ALIAS if model._meta.app_label == CACHE_APP_LABEL else None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        if db == CACHE_ALIAS:
            return False
        return None


def _create_tables(connection: BaseDatabaseWrapper) -> None:
    """The SQL of ``createcachetable``, run only when the table is missing (idempotent)."""
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in sorted(_TABLES):
            cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s",
                           [table])
            if cursor.fetchone():
                continue
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {qn(table)} ("
                f"{qn('cache_key')} varchar(255) NOT NULL PRIMARY KEY, "
                f"{qn('value')} text NOT NULL, {qn('expires')} datetime NOT NULL)")
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {qn(table + '_expires')} "
                           f"ON {qn(table)} ({qn('expires')})")


def _on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.alias == CACHE_ALIAS and connection.vendor == "sqlite":
        _create_tables(connection)


connection_created.connect(_on_connection_created, dispatch_uid="wushe.core.cache.tables")


class SQLiteCache(DatabaseCache):
    """Django's DatabaseCache on its own SQLite alias, with an atomic ``incr`` and its table
    created on first use."""

    def __init__(self, table: str, params: dict[str, Any]) -> None:
        super().__init__(table, params)
        self.table = table
        if table not in _TABLES:
            _TABLES.add(table)
            db = router.db_for_write(self.cache_model_class)
            connection = connections[db]
            if connection.connection is not None and connection.vendor == "sqlite":
                _create_tables(connection)  # opened before this backend: the signal has passed

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> Any:
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        qn = connection.ops.quote_name
        table = qn(self.table)
        # IMMEDIATE (the alias's transaction_mode): BEGIN takes the write lock, so no other
        # process reads the value between this read and this write.
        # Names are the setting's table and Django's columns, quoted; values are parameters.
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(f"SELECT {qn('value')}, {qn('expires')} FROM {table} "  # noqa: S608
                           f"WHERE {qn('cache_key')} = %s", [key])
            row = cursor.fetchone()
            if row is not None:
                expires = row[1]
                expression = models.Expression(output_field=models.DateTimeField())
                for converter in (connection.ops.get_db_converters(expression)
                                  + expression.get_db_converters(connection)):
                    expires = converter(expires, expression, connection)
                if expires < tz_now():
                    row = None
            if row is None:
                # No key in the message: keys carry addresses.
                raise ValueError("the key is not in the cache")
            stored = connection.ops.process_clob(row[0])
            # Pickled by this backend into the server's own file, as Django's DatabaseCache does.
            value = pickle.loads(base64.b64decode(stored.encode(), validate=True)) + delta  # noqa: S301
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {qn('value')} = %s "  # noqa: S608
                           f"WHERE {qn('cache_key')} = %s", [encoded, key])
        return value
