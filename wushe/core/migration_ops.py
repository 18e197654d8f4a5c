"""Reusable migration operations: append-only tables guarded by database triggers.

``AppendOnly(*tables)`` makes raw SQL refuse UPDATE and DELETE on the tables too (the ORM
refuses already, wushe.audit.models.AppendOnlyModel), on SQLite and PostgreSQL; its reverse
drops the triggers. ``AppendOnlyExcept(table, ...)`` replaces a table's UPDATE guard by one
that lets one kind of update through (a retention erasure); its reverse puts the plain guard
back. The SQL is the one the first migrations wrote by hand, so databases migrated before the
fold and after it hold the same triggers.

Names: on SQLite ``<table>_no_update`` and ``<table>_no_delete``; on PostgreSQL one row
trigger ``<table>_append_only`` calling a plpgsql function (``wushe_append_only`` unless the
migration names another).
"""

from __future__ import annotations

from typing import Any

from django.db import router
from django.db.migrations.operations.base import Operation

DEFAULT_FUNCTION = "wushe_append_only"


def _raise_body() -> str:
    return "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; "


def pg_function_sql(function: str = DEFAULT_FUNCTION) -> str:
    """The plpgsql function every row trigger of an append-only table calls."""
    return (f"CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$ "
            f"BEGIN {_raise_body()}END; "
            "$$ LANGUAGE plpgsql;")


def sqlite_trigger_sql(table: str, op: str, when: str = "") -> str:
    """The SQLite trigger refusing ``op`` (UPDATE or DELETE), unless ``when`` says otherwise."""
    guard = f"WHEN {when} " if when else ""
    return (f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} {guard}"
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;")


def sqlite_drop_sql(table: str, op: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()}"


def pg_trigger_sql(table: str, function: str = DEFAULT_FUNCTION) -> str:
    return (f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {function}();")


def pg_drop_sql(table: str) -> str:
    return f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"


def install_append_only(schema_editor: Any, table: str, ops: tuple[str, ...] = ("UPDATE", "DELETE"),
                        function: str = DEFAULT_FUNCTION) -> None:
    """Create one table's triggers (the function must exist on PostgreSQL)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for op in ops:
            schema_editor.execute(sqlite_trigger_sql(table, op))
    elif vendor == "postgresql":
        schema_editor.execute(pg_trigger_sql(table, function))


def drop_append_only(schema_editor: Any, table: str,
                     ops: tuple[str, ...] = ("UPDATE", "DELETE")) -> None:
    """Drop one table's triggers (``ops`` only matters on SQLite, where each op has its own)."""
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for op in ops:
            schema_editor.execute(sqlite_drop_sql(table, op))
    elif vendor == "postgresql":
        schema_editor.execute(pg_drop_sql(table))


def create_function(schema_editor: Any, function: str = DEFAULT_FUNCTION) -> None:
    if schema_editor.connection.vendor == "postgresql":
        # no parameters: keep the driver from reading % as a placeholder
        schema_editor.execute(pg_function_sql(function), None)


class _DatabaseOnly(Operation):
    """An operation that changes the database and not the model state."""

    reversible = True
    reduces_to_sql = False

    def state_forwards(self, app_label: str, state: Any) -> None:
        pass

    def _allowed(self, app_label: str, schema_editor: Any) -> bool:
        return bool(router.allow_migrate(schema_editor.connection.alias, app_label))

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any,
                          to_state: Any) -> None:
        if self._allowed(app_label, schema_editor):
            self.install(schema_editor)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any,
                           to_state: Any) -> None:
        if self._allowed(app_label, schema_editor):
            self.remove(schema_editor)

    def install(self, schema_editor: Any) -> None:
        raise NotImplementedError

    def remove(self, schema_editor: Any) -> None:
        raise NotImplementedError


class AppendOnly(_DatabaseOnly):
    """Triggers refusing UPDATE and DELETE on ``tables``, whatever the client."""

    def __init__(self, *tables: str, function: str = DEFAULT_FUNCTION) -> None:
        self.tables = tables
        self.function = function

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs = {} if self.function == DEFAULT_FUNCTION else {"function": self.function}
        return self.__class__.__qualname__, list(self.tables), kwargs

    def describe(self) -> str:
        return f"Append-only triggers on {', '.join(self.tables)}"

    def install(self, schema_editor: Any) -> None:
        create_function(schema_editor, self.function)
        for table in self.tables:
            install_append_only(schema_editor, table, function=self.function)

    def remove(self, schema_editor: Any) -> None:
        for table in self.tables:
            drop_append_only(schema_editor, table)


class AppendOnlyExcept(_DatabaseOnly):
    """Replace ``table``'s append-only guard by one letting an UPDATE through when it matches.

    ``sqlite_allow`` and ``pg_allow`` are the same condition on NEW and OLD in each dialect;
    ``function`` is the PostgreSQL guard function created for it (dropped by the reverse,
    which restores the plain guard calling ``base_function``).
    """

    def __init__(self, table: str, *, sqlite_allow: str, pg_allow: str, function: str,
                 base_function: str = DEFAULT_FUNCTION) -> None:
        self.table = table
        self.sqlite_allow = sqlite_allow
        self.pg_allow = pg_allow
        self.function = function
        self.base_function = base_function

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        kwargs = {"sqlite_allow": self.sqlite_allow, "pg_allow": self.pg_allow,
                  "function": self.function}
        if self.base_function != DEFAULT_FUNCTION:
            kwargs["base_function"] = self.base_function
        return self.__class__.__qualname__, [self.table], kwargs

    def describe(self) -> str:
        return f"Append-only guard on {self.table} with one allowed update"

    def install(self, schema_editor: Any) -> None:
        table = self.table
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(sqlite_drop_sql(table, "UPDATE"))
            schema_editor.execute(
                sqlite_trigger_sql(table, "UPDATE", when=f"NOT ({self.sqlite_allow})"))
        elif vendor == "postgresql":
            schema_editor.execute(
                f"CREATE OR REPLACE FUNCTION {self.function}() RETURNS trigger AS $$ "
                "BEGIN "
                f"IF TG_OP = 'UPDATE' AND {self.pg_allow} THEN "
                "RETURN NEW; END IF; "
                f"{_raise_body()}"
                "END; $$ LANGUAGE plpgsql;",
                None,  # no parameters: keep the driver from reading % as a placeholder
            )
            schema_editor.execute(pg_drop_sql(table))
            schema_editor.execute(pg_trigger_sql(table, self.function))

    def remove(self, schema_editor: Any) -> None:
        table = self.table
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            schema_editor.execute(sqlite_drop_sql(table, "UPDATE"))
            schema_editor.execute(sqlite_trigger_sql(table, "UPDATE"))
        elif vendor == "postgresql":
            schema_editor.execute(pg_drop_sql(table))
            schema_editor.execute(pg_trigger_sql(table, self.base_function))
            schema_editor.execute(f"DROP FUNCTION IF EXISTS {self.function}()")
