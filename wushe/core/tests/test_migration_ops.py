# ruff: noqa: S608  (a fixed test table name, no input)
"""The append-only migration operations: what they install refuses raw SQL, their reverse lifts it.

Runs on SQLite and, with DATABASE_URL, on PostgreSQL (the DDL rolls back with the test).
"""

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from wushe.core.migration_ops import AppendOnly, AppendOnlyExcept

TABLE = "core_test_appendonly"


class _Editor:
    """The two things the operations use of a schema editor (a real one cannot open inside the
    test's transaction on SQLite)."""

    def __init__(self) -> None:
        self.connection = connection

    def execute(self, sql: str, params: Any = ()) -> None:
        with connection.cursor() as cur:
            cur.execute(sql, params)


def _run(sql: str) -> bool:
    """True when the statement went through, False when the database refused it."""
    try:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql)
    except DatabaseError:
        return False
    return True


@pytest.fixture
def table() -> _Editor:
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, note varchar(20), v integer)")
        cur.execute(f"INSERT INTO {TABLE} (id, note, v) VALUES (1, 'x', 1), (2, 'y', 2)")
    return _Editor()


@pytest.mark.django_db
def test_append_only_refuses_update_and_delete_and_its_reverse_lifts_them(table: _Editor) -> None:
    op = AppendOnly(TABLE)
    op.install(table)
    assert not _run(f"UPDATE {TABLE} SET v = 5 WHERE id = 1")
    assert not _run(f"DELETE FROM {TABLE} WHERE id = 1")
    assert _run(f"INSERT INTO {TABLE} (id, note, v) VALUES (3, 'z', 3)")
    op.remove(table)
    assert _run(f"UPDATE {TABLE} SET v = 5 WHERE id = 1")
    assert _run(f"DELETE FROM {TABLE} WHERE id = 1")


@pytest.mark.django_db
def test_append_only_except_lets_one_update_through_and_its_reverse_restores_the_guard(
        table: _Editor) -> None:
    AppendOnly(TABLE).install(table)
    op = AppendOnlyExcept(TABLE, sqlite_allow="NEW.note = '' AND NEW.v IS OLD.v",
                          pg_allow="NEW.note = '' AND NEW.v IS NOT DISTINCT FROM OLD.v",
                          function="wushe_test_appendonly_guard")
    op.install(table)
    assert _run(f"UPDATE {TABLE} SET note = '' WHERE id = 1")
    assert not _run(f"UPDATE {TABLE} SET note = '', v = 9 WHERE id = 2")
    assert not _run(f"UPDATE {TABLE} SET note = 'w' WHERE id = 2")
    assert not _run(f"DELETE FROM {TABLE} WHERE id = 2")
    op.remove(table)
    assert not _run(f"UPDATE {TABLE} SET note = '' WHERE id = 2")
    assert not _run(f"DELETE FROM {TABLE} WHERE id = 2")
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, note, v FROM {TABLE} ORDER BY id")
        assert cur.fetchall() == [(1, "", 1), (2, "y", 2)]
