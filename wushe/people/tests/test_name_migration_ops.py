# ruff: noqa: S608  (a fixed test table name, no input)
"""``encrypted_name_operations``: the steps the six name migrations share encrypt a plaintext
column in place (with its blind index), leave ciphertext alone, and decrypt on the way back."""

from typing import Any

import pytest
from django.db import connection

from wushe.core.crypto import keyring
from wushe.people import names
from wushe.people.names import encrypted_name_operations, name_index

TABLE = "people_test_plainnames"


class _Editor:
    def __init__(self) -> None:
        self.connection = connection


def _rows() -> list[tuple[Any, ...]]:
    with connection.cursor() as cur:
        cur.execute(f"SELECT id, name, name_bidx, other FROM {TABLE} ORDER BY id")
        return list(cur.fetchall())


@pytest.mark.django_db
def test_encrypt_decrypt_and_scrub_steps() -> None:
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE {TABLE} (id integer PRIMARY KEY, name text, "
                    "name_bidx varchar(64) NULL, other text)")
        cur.executemany(f"INSERT INTO {TABLE} (id, name, name_bidx, other) VALUES (%s, %s, NULL, %s)",
                        [(1, "张三", "李四"), (2, "", "王五")])
    encrypt, scrub = encrypted_name_operations([(TABLE, "name", "name_bidx"), (TABLE, "other")])
    assert encrypt.reversible
    editor = _Editor()

    encrypt.code(None, editor)
    ring = keyring()
    (_, name1, bidx1, other1), (_, name2, bidx2, other2) = _rows()
    assert name1 != "张三" and ring.decrypt(name1) == "张三"
    assert bidx1 == name_index("张三")
    assert other1 != "李四" and ring.decrypt(other1) == "李四"
    assert (name2, bidx2) == ("", None)  # nothing to encrypt, no index
    assert ring.decrypt(other2) == "王五"

    encrypt.code(None, editor)  # re-runnable: ciphertext is left as it is
    assert _rows()[0][1] == name1

    encrypt.reverse_code(None, editor)
    assert [(r[1], r[3]) for r in _rows()] == [("张三", "李四"), ("", "王五")]

    names._SCRUB_PENDING.discard(connection.alias)
    scrub.code(None, editor)
    assert (connection.alias in names._SCRUB_PENDING) == (connection.vendor == "sqlite")
    names._SCRUB_PENDING.discard(connection.alias)
