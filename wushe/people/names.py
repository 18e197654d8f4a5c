"""Personal names at rest: encrypted, and findable only by the exact full name.

A name column is an ``EncryptedTextField``; next to it a blind index of the *normalised full*
name (NFKC, every whitespace removed), so "张 三", "张三" and the full-width "张三" match each
other and nothing else. There is deliberately no index of a surname or a prefix: equal keyed
hashes of surnames would make a frequency table of the district's surnames.

The index is keyed with a domain prefix so a name can never collide with the blind index of an
ID number or a phone held in another column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import FieldError
from django.db.models import Lookup

from wushe.core.crypto import EncryptedTextField, blind_index

NAME_DOMAIN = "name:"


def normalise_name(value: object) -> str:
    text = unicodedata.normalize("NFKC", str(value or ""))
    return "".join(text.split())


def name_index(value: object) -> str | None:
    """Blind index of the normalised full name; None for an empty name (never matches)."""
    norm = normalise_name(value)
    return blind_index(NAME_DOMAIN + norm) if norm else None


def name_index_source(value: str) -> str:
    """What a name's blind index hashes (registered with ``wushe.core.reencrypt``)."""
    return NAME_DOMAIN + normalise_name(value)


def register_name_indexes(*labels: str) -> None:
    """Register ``<model>.<field>_bidx`` over ``<field>`` for ``wushe reencrypt`` (from an
    app's ``ready()``): e.g. ``register_name_indexes("charity.Donor.name")``."""
    from wushe.core.reencrypt import register_blind_index

    for label in labels:
        model, field = label.rsplit(".", 1)
        register_blind_index(model, f"{field}_bidx", field, name_index_source)


def fill_name_indexes(obj: Any) -> list[str]:
    """Set every ``<field>_bidx`` beside an encrypted name of ``obj``; the index names."""
    names = []
    for f in obj._meta.concrete_fields:
        if isinstance(f, EncryptedNameField) and hasattr(obj, f"{f.name}_bidx"):
            setattr(obj, f"{f.name}_bidx", name_index(getattr(obj, f.name)))
            names.append(f"{f.name}_bidx")
    return names


class NameIndexedQuerySetMixin:
    """Keeps name blind indexes in step on the paths that skip ``save``: bulk_create,
    bulk_update and update. Mix in before the model's queryset class."""

    model: Any

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in objs:
            fill_name_indexes(obj)
        return super().bulk_create(objs, *args, **kwargs)  # type: ignore[misc]

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs, fields = list(objs), list(fields)
        indexed = [f for f in fields if f"{f}_bidx" in _index_names(self.model)]
        if indexed:
            for obj in objs:
                fill_name_indexes(obj)
            fields += [f"{f}_bidx" for f in indexed if f"{f}_bidx" not in fields]
        return super().bulk_update(objs, fields, *args, **kwargs)  # type: ignore[misc]

    def update(self, **kwargs: Any) -> int:
        for f in list(kwargs):
            if f"{f}_bidx" in _index_names(self.model):
                kwargs[f"{f}_bidx"] = name_index(kwargs[f])
        return super().update(**kwargs)  # type: ignore[misc]


def _index_names(model: Any) -> set[str]:
    return {f"{f.name}_bidx" for f in model._meta.concrete_fields
            if isinstance(f, EncryptedNameField)
            and any(g.name == f"{f.name}_bidx" for g in model._meta.concrete_fields)}


class NameIndexedModelMixin:
    """``save`` fills the name blind indexes (and adds them to ``update_fields``)."""

    def save(self, *args: Any, **kwargs: Any) -> None:
        indexes = fill_name_indexes(self)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and indexes:
            kwargs["update_fields"] = {*update_fields, *indexes}
        super().save(*args, **kwargs)  # type: ignore[misc]


# --- data migrations: encrypting a plaintext name column in place ------------------------------

BATCH = 2000


def encrypt_column(schema_editor: Any, table: str, column: str, bidx_column: str | None = None,
                   *, batch: int = BATCH) -> int:
    """Encrypt every plaintext value of ``table.column`` (and fill its blind index), in batches
    of ``batch`` rows, each batch its own transaction. Raw SQL: the historical model's field
    would try to decrypt the plaintext. A value already encrypted (``kid$…``) is left alone,
    so an interrupted run resumes where it stopped."""
    from django.db import transaction

    from wushe.core.crypto import keyring

    conn = schema_editor.connection
    qn = conn.ops.quote_name
    ring = keyring()
    sets = f"{qn(column)} = %s" + (f", {qn(bidx_column)} = %s" if bidx_column else "")
    done, last = 0, 0
    while True:
        with conn.cursor() as cur:
            cur.execute(f"SELECT id, {qn(column)} FROM {qn(table)} WHERE id > %s "  # noqa: S608
                        f"ORDER BY id LIMIT %s", [last, batch])
            rows = cur.fetchall()
        if not rows:
            return done
        last = rows[-1][0]
        params = []
        for pk, value in rows:
            if not value or _is_ciphertext(value, ring):
                continue
            enc = ring.encrypt(value)
            params.append([enc, name_index(value), pk] if bidx_column else [enc, pk])
        if params:
            with transaction.atomic(using=conn.alias), conn.cursor() as cur:
                cur.executemany(f"UPDATE {qn(table)} SET {sets} WHERE id = %s",  # noqa: S608
                                params)
            done += len(params)


def _is_ciphertext(value: str, ring: Any) -> bool:
    """``kid$base64`` under a key of the ring (an enterprise's or a display name may hold a
    ``$``; it is plaintext unless what precedes it names a key)."""
    return "$" in value and ring.key_id(value) in ring.keys


def decrypt_column(schema_editor: Any, table: str, column: str, *, batch: int = BATCH) -> None:
    """The reverse of ``encrypt_column`` (for a migration rolled back)."""
    from django.db import transaction

    from wushe.core.crypto import keyring

    conn = schema_editor.connection
    qn = conn.ops.quote_name
    ring = keyring()
    last = 0
    while True:
        with conn.cursor() as cur:
            cur.execute(f"SELECT id, {qn(column)} FROM {qn(table)} WHERE id > %s "  # noqa: S608
                        f"ORDER BY id LIMIT %s", [last, batch])
            rows = cur.fetchall()
        if not rows:
            return
        last = rows[-1][0]
        params = [[ring.decrypt(v), pk] for pk, v in rows if v and _is_ciphertext(v, ring)]
        if params:
            with transaction.atomic(using=conn.alias), conn.cursor() as cur:
                cur.executemany(f"UPDATE {qn(table)} SET {qn(column)} = %s "  # noqa: S608
                                f"WHERE id = %s", params)


def encrypted_name_operations(columns: Iterable[tuple[str, ...]]) -> list[Any]:
    """The operations of a migration that encrypts plaintext name columns in place: encrypt
    (reverse: decrypt) each ``(table, column)`` or ``(table, column, bidx_column)`` entry, then
    mark the database for the scrub of its free pages (``scrub_free_pages``)."""
    from django.db import migrations

    entries = [(e[0], e[1], e[2] if len(e) > 2 else None) for e in columns]

    def encrypt_names(apps: Any, schema_editor: Any) -> None:
        for table, column, bidx in entries:
            encrypt_column(schema_editor, table, column, bidx)

    def decrypt_names(apps: Any, schema_editor: Any) -> None:
        for table, column, _bidx in entries:
            decrypt_column(schema_editor, table, column)

    def scrub(apps: Any, schema_editor: Any) -> None:
        scrub_free_pages(schema_editor)

    return [
        migrations.RunPython(encrypt_names, decrypt_names, elidable=False),
        migrations.RunPython(scrub, migrations.RunPython.noop, elidable=False),
    ]


_SCRUB_PENDING: set[str] = set()  # database aliases whose free pages hold old plaintext


def scrub_free_pages(schema_editor: Any) -> None:
    """After plaintext was overwritten: on SQLite rebuild the file (VACUUM drops the free pages
    that still hold the old values) and truncate the WAL (checkpoint, then empty it). VACUUM
    cannot run inside a transaction, and a migration is one (a non-atomic migration breaks
    SQLite's schema editor for the migrations after it), so a migration only marks the
    database and ``scrub_after_migrate`` (post_migrate) does it once every migration has run.
    On PostgreSQL old row versions live until ``VACUUM FULL`` (docs/deploy.md), which an
    operator runs in a maintenance window: it locks the tables."""
    conn = schema_editor.connection
    if conn.vendor == "sqlite":
        _SCRUB_PENDING.add(conn.alias)


def scrub_after_migrate(using: str = "default", **kwargs: Any) -> None:
    """post_migrate: VACUUM a SQLite database a migration marked (see scrub_free_pages)."""
    from django.db import connections

    if using not in _SCRUB_PENDING:
        return
    conn = connections[using]
    if conn.in_atomic_block:  # migrate called inside a transaction (a test): try next time
        return
    _SCRUB_PENDING.discard(using)
    with conn.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        cur.execute("VACUUM")
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")


class NameExact(Lookup):  # type: ignore[type-arg]
    """``name="张三"`` (and ``person__name=…``) compares blind indexes: the column beside the
    encrypted one (``<column>_bidx``), keyed with the normalised full name."""

    lookup_name = "exact"

    def get_prep_lookup(self) -> Any:
        return self.rhs  # not the field's encryption: the index is computed in as_sql

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[str]]:
        if not isinstance(self.rhs, str):
            raise FieldError("An encrypted name is compared only with a string")
        field = self.lhs.target
        bidx = field.model._meta.get_field(f"{field.name}_bidx").column
        column = f"{compiler.quote_name(self.lhs.alias)}.{connection.ops.quote_name(bidx)}"
        return f"{column} = %s", (str(name_index(self.rhs)),)


class EncryptedNameField(EncryptedTextField):
    """A personal name, encrypted; the only lookups are the exact full name (through the blind
    index ``<name>_bidx``) and ``isnull``. A prefix, a substring or an ordering on ciphertext
    would silently find nothing or sort nonsense, so they are refused."""

    ALLOWED = frozenset({"exact", "isnull"})

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in self.ALLOWED:
            raise FieldError(f"The encrypted name allows only exact lookups, not {lookup_name!r}")
        return super().get_lookup(lookup_name)


EncryptedNameField.register_lookup(NameExact)
