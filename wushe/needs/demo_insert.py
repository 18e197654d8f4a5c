"""Fast inserts for the demo generator: ``executemany`` with explicit primary keys.

The ORM's per-object work costs more than generating a row, and a city build writes millions
of events. Every value still goes through its field (``get_db_prep_save``: encryption
included), so a row is what ``save`` would write. On PostgreSQL the id sequence is moved past
the explicit keys afterwards, so later ordinary inserts do not collide.
"""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.utils import timezone

from wushe.core.scoping import ScopedQuerySet


class Inserter:
    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        meta = model._meta
        self.fields = [f for f in meta.concrete_fields if f.column]
        self.names = [f.attname for f in self.fields]
        # get_default() also gives "" for a text column without a default, None for a nullable
        self.defaults = {f.attname: f.get_default() for f in self.fields if not f.primary_key}
        now = timezone.now()
        for f in self.fields:  # auto_now(_add) fields are set by save(), which we bypass
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
        quote = connection.ops.quote_name
        cols = ", ".join(quote(f.column) for f in self.fields if f.column)
        marks = ", ".join(["%s"] * len(self.fields))
        # Identifiers come from the model's _meta and are quoted; values are parameters.
        self.sql = f"INSERT INTO {quote(meta.db_table)} ({cols}) VALUES ({marks})"  # noqa: S608
        existing: Any = model._default_manager.all()
        if isinstance(existing, ScopedQuerySet):
            existing = existing.unscoped(reason="demo: builds the whole district")
        self.next_id = (existing.aggregate(m=models.Max("pk"))["m"] or 0) + 1
        self.pending: list[list[Any]] = []
        self.count = 0

    def add(self, **values: Any) -> int:
        """Queue one row; returns its primary key."""
        pk = self.next_id
        self.next_id += 1
        row = {**self.defaults, **values, "id": pk}
        self.pending.append([f.get_db_prep_save(row.get(f.attname), connection)
                             for f in self.fields])
        if len(self.pending) >= 5000:
            self.flush()
        return pk

    def flush(self) -> None:
        if not self.pending:
            return
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, self.pending)
        self.count += len(self.pending)
        self.pending = []

    def close(self) -> int:
        self.flush()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                    cursor.execute(sql)
        return self.count
