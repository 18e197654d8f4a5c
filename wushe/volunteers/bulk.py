"""Fast inserts for the roster import and the demo generator: ``executemany``, explicit ids.

The ORM's per-object bookkeeping (model instances, per-value SQL compilation) costs more than
the database write itself when hundreds of thousands of rows go in. Every value still goes
through its field's database preparation (dates, decimals, encryption), so the rows are what
the services would write. Ids are reserved up front (``reserve_ids``) so that later rows can
point at earlier ones without reading them back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from wushe.core.crypto import EncryptedTextField, keyring

BATCH = 5000


def next_id(model: type[models.Model]) -> int:
    """The demo generator's first free id (it alone writes; sequences are reset after)."""
    top = model._default_manager.all().aggregate(m=models.Max("pk"))["m"]  # type: ignore[attr-defined]
    return int(top or 0) + 1


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Ids nobody else will take, inside the caller's transaction.

    PostgreSQL: drawn from the table's own sequence, so concurrent inserts never collide.
    SQLite: the transaction holds the database's only write lock from BEGIN IMMEDIATE on, so
    the ids after the current maximum are free (AUTOINCREMENT then moves past them).
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, count])
            return [int(r[0]) for r in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        top = int(cursor.fetchone()[0])
    return list(range(top + 1, top + 1 + count))


def by_index(model: type[models.Model], field: str, values: list[Any],
             columns: tuple[str, ...]) -> list[tuple[Any, ...]]:
    """``columns`` of the rows whose ``field`` is one of ``values``, probing ``field``'s index.

    On SQLite the planner weighs ``IN (5,000 values)`` against the table's statistics: on a
    small table (a new district's) it scans the whole table instead, and an import that grows
    the table a hundredfold inside one transaction then scans it once per batch (5 s of a
    250,000-row roster). ``INDEXED BY`` holds it to the index. PostgreSQL plans on live
    estimates and gets the plain query."""
    if not values:
        return []
    if connection.vendor != "sqlite":
        rows = model._default_manager.all()  # type: ignore[attr-defined]
        if hasattr(rows, "unscoped"):
            rows = rows.unscoped(reason="importer: scope checked row by row")  # the importer decided scope row by row already
        return list(rows.filter(**{f"{field}__in": values}).order_by().values_list(*columns))
    table = model._meta.db_table
    quote = connection.ops.quote_name
    column = str(model._meta.get_field(field).column)  # type: ignore[union-attr]
    with connection.cursor() as cursor:
        index = _single_column_index(cursor, table, column)
        marks = ", ".join(["%s"] * len(values))
        # Identifiers come from the model's _meta and sqlite_master, quoted; values are params.
        cursor.execute(
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)} "  # noqa: S608
            f"INDEXED BY {quote(index)} WHERE {quote(column)} IN ({marks})", values)
        return [tuple(r) for r in cursor.fetchall()]


def _single_column_index(cursor: Any, table: str, column: str) -> str:
    cursor.execute("SELECT name FROM pragma_index_list(%s)", [table])
    for (name,) in cursor.fetchall():
        cursor.execute("SELECT name FROM pragma_index_info(%s)", [name])
        if [r[0] for r in cursor.fetchall()] == [column]:
            return str(name)
    raise LookupError(f"no index on {table}.{column}")


class Loader:
    """Insert rows (dicts by attname) of one model in batches of ``BATCH``."""

    def __init__(self, model: type[models.Model], *, auto_flush: bool = True) -> None:
        self.model = model
        self.auto_flush = auto_flush
        self.fields = [f for f in model._meta.concrete_fields if f.column]
        quote = connection.ops.quote_name
        cols = ", ".join(quote(f.column) for f in self.fields if f.column)
        marks = ", ".join(["%s"] * len(self.fields))
        # Identifiers come from the model's _meta and are quoted; values are parameters.
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({cols}) VALUES ({marks})"  # noqa: S608
        self.prep: list[Callable[[Any], Any] | None] = [self._prep(f) for f in self.fields]
        self.names = [f.attname for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.pairs = [(name, self.defaults[name]) for name in self.names]
        self.prepared = [(i, p) for i, p in enumerate(self.prep) if p is not None]
        self.rows: list[list[Any]] = []
        self.memo: list[tuple[Any, Any] | None] = [None] * len(self.fields)
        self.count = 0

    @staticmethod
    def _prep(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
        simple = (models.CharField, models.IntegerField, models.BooleanField,
                  models.ForeignKey, models.BigAutoField, models.AutoField)
        if isinstance(field, simple) and not isinstance(field, models.TextField):
            return None
        if isinstance(field, EncryptedTextField):
            # What get_db_prep_save comes to for ciphertext, without Django's generic chain
            # (half a million calls for a roster's ID numbers and phones).
            return lambda v: keyring().encrypt(str(v)) if v != "" else v
        if type(field) is models.DateField:
            return connection.ops.adapt_datefield_value
        return lambda v: field.get_db_prep_save(v, connection)

    def add(self, **values: Any) -> None:
        # Hot path (a million calls for a 250,000-row roster): defaults in one comprehension,
        # then only the columns that need preparing (dates, encryption) are touched.
        row = [values[name] if name in values else default for name, default in self.pairs]
        memo = self.memo
        for i, prep in self.prepared:
            v = row[i]
            if v is None:
                continue
            last = memo[i]
            # Many rows share a value (the build's timestamp, a default): prepare it once.
            if last is not None and last[0] is v:
                row[i] = last[1]
            else:
                prepared = prep(v)
                memo[i] = (v, prepared)
                row[i] = prepared
        self.rows.append(row)
        if self.auto_flush and len(self.rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.rows:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.rows)
            self.count += len(self.rows)
            self.rows = []


def flush_in_order(*loaders: Loader, at: int = BATCH) -> None:
    """Flush parents before children once any holds ``at`` rows.

    Django's foreign keys are deferred on SQLite: a child row written before its parent is a
    pending violation, and every parent row inserted then makes SQLite search the child table
    for rows pointing at it, a full scan while ``bulk_load`` has dropped the child's index.
    """
    if any(len(loader.rows) >= at for loader in loaders):
        for loader in loaders:
            loader.flush()


@contextmanager
def bulk_load(*tables: str) -> Iterator[None]:
    """On SQLite, drop the tables' secondary indexes for the load and build them once after
    (keeping several indexes up to date row by row is most of the cost of a large load)."""
    dropped = pause_indexes(tables)
    try:
        yield
    finally:
        restore_indexes(dropped, tables)


def pause_indexes(tables: Iterable[str], *, keep_unique: bool = False,
                  keep_columns: Iterable[str] = ()) -> list[str]:
    """On SQLite, drop the tables' secondary indexes and return what rebuilds them; keep the
    unique ones if asked (they enforce integrity) and those on ``keep_columns`` (a load that
    looks rows up while it writes). Inside a transaction the drop is rolled back with it."""
    if connection.vendor != "sqlite":
        return []
    keep = {f'("{c}")' for c in keep_columns}
    dropped: list[str] = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                           "AND tbl_name = %s AND sql IS NOT NULL", [table])
            for name, create in cursor.fetchall():
                if (keep_unique and create.upper().startswith("CREATE UNIQUE")) or \
                        any(create.endswith(k) for k in keep):
                    continue
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
                dropped.append(create)
    return dropped


def restore_indexes(dropped: list[str], tables: Iterable[str]) -> None:
    """Rebuild what ``pause_indexes`` dropped (one sort per index) and refresh the tables'
    planner statistics."""
    if not dropped:
        return
    with connection.cursor() as cursor:
        for create in dropped:
            cursor.execute(create)
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def reset_sequences(models_: Iterable[type[models.Model]]) -> None:
    """After explicit ids: PostgreSQL's sequences must continue past them (SQLite needs not)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models_))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
