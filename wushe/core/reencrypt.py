"""Key rotation for personal data: move every encrypted value to the current key, and
recompute every blind index with the current key's hash.

Rotation is: put a new key first in WUSHE_PII_KEYS (``wushe rotatekey [--algorithm sm4]`` does
it), run ``wushe reencrypt``, then drop the old key. Reads keep working throughout, because
every value names the key that wrote it. When the new key's suite differs from the old one's
(AES-256-GCM + HMAC-SHA256 → SM4-GCM + HMAC-SM3), the blind indexes change hash too: exact
lookups by ID number, phone or name miss until this command has recomputed them, so it runs
right after the rotation (a maintenance window on a large roster).

A blind index column is found by name: ``<field>_bidx`` beside an encrypted ``<field>`` holds
``blind_index(<field>)``. An index over a *normalised* value registers its normaliser with
``register_blind_index`` (from the owning app's ``ready()``); an index with no encrypted source
(e.g. a day's SMS quota by phone) cannot be recomputed and is left to expire.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, models, transaction

from wushe.core.crypto import (
    KEY_BYTES,
    EncryptedTextField,
    blind_index,
    blind_index_under,
    keyring,
)


@dataclass(frozen=True)
class BlindIndex:
    column: str  # the blind index column
    source: str  # the encrypted column it indexes
    normalise: Callable[[str], str] | None = None


_REGISTERED: dict[tuple[str, str], BlindIndex] = {}

# What runs, in one transaction, once every row is re-encrypted: the audit app records the
# event (``wushe/audit/apps.py``), so core imports no app. Keyed by name, so a second
# ``ready()`` replaces rather than doubles.
ON_DONE: dict[str, Callable[[dict[str, Any]], None]] = {}


def on_done(name: str, hook: Callable[[dict[str, Any]], None]) -> None:
    """Run ``hook(summary)`` after a re-encryption (key, suite, rows, unmatched indexes)."""
    ON_DONE[name] = hook


def register_blind_index(model_label: str, field: str, source: str,
                         normalise: Callable[[str], str] | None = None) -> None:
    """Declare that ``model_label.field`` holds ``blind_index(normalise(source))``."""
    _REGISTERED[(model_label, field)] = BlindIndex(field, source, normalise)


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[str]]]:
    for model in apps.get_models():
        cols = [str(f.column) for f in model._meta.concrete_fields
                if isinstance(f, EncryptedTextField)]
        if cols:
            yield model, cols


def blind_indexes(model: type[models.Model], encrypted: list[str]) -> list[BlindIndex]:
    found: list[BlindIndex] = []
    by_name = {f.name: f for f in model._meta.concrete_fields}
    for name, field in by_name.items():
        registered = _REGISTERED.get((model._meta.label, name))
        if registered is not None:
            src = by_name[registered.source]
            found.append(BlindIndex(str(field.column), str(src.column), registered.normalise))
        elif name.endswith("_bidx") and name[:-5] in by_name \
                and str(by_name[name[:-5]].column) in encrypted:
            found.append(BlindIndex(str(field.column), str(by_name[name[:-5]].column)))
    return found


def reencrypt_all(*, batch: int = 2000, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    ring = keyring()
    counts: dict[str, int] = {}
    unmatched: dict[str, int] = {}  # blind indexes over an unregistered normalisation
    qn = connection.ops.quote_name
    for model, cols in encrypted_columns():
        indexes = blind_indexes(model, cols)
        written = cols + [ix.column for ix in indexes]
        table, pk = qn(model._meta.db_table), qn(str(model._meta.pk.column))
        # Identifiers come from model metadata, quoted; values are parameters.
        select = f"SELECT {pk}, {', '.join(qn(c) for c in written)} FROM {table} " \
                 f"WHERE {pk} > %s ORDER BY {pk} LIMIT %s"  # noqa: S608
        update = f"UPDATE {table} SET {', '.join(f'{qn(c)} = %s' for c in written)} " \
                 f"WHERE {pk} = %s"  # noqa: S608
        last, changed = 0, 0
        skipped: dict[str, int] = {}
        while True:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(select, [last, batch])
                rows = cur.fetchall()
                if not rows:
                    break
                updates = []
                for row in rows:
                    stored = list(row[1:1 + len(cols)])
                    old_idx = list(row[1 + len(cols):])
                    plain = {c: ring.decrypt(v) if v else v for c, v in zip(cols, stored, strict=True)}
                    new = [ring.encrypt(plain[c]) if v and ring.key_id(v) != ring.current else v
                           for c, v in zip(cols, stored, strict=True)]
                    new_idx = []
                    for ix, old in zip(indexes, old_idx, strict=True):
                        value = plain[ix.source]
                        if not value or old is None or old == "":
                            new_idx.append(old)  # nothing indexed, or not indexed on purpose
                            continue
                        text = ix.normalise(value) if ix.normalise else value
                        new_value = blind_index(text)
                        # Rewritten only when the stored index is this value's under one of
                        # the suites: an index over some other normalisation nobody
                        # registered is left alone (and counted), never overwritten wrongly.
                        if old != new_value and not any(
                                old == blind_index_under(text, s) for s in KEY_BYTES):
                            skipped[ix.column] = skipped.get(ix.column, 0) + 1
                            new_value = old
                        new_idx.append(new_value)
                    if new != stored or new_idx != old_idx:
                        updates.append([*new, *new_idx, row[0]])
                if updates:
                    cur.executemany(update, updates)
                changed += len(updates)
                last = rows[-1][0]
            if progress:
                progress(f"{model._meta.label}: {changed} re-encrypted (at id {last})")
        counts[model._meta.label] = changed
        for column, n in skipped.items():
            unmatched[f"{model._meta.label}.{column}"] = n
    summary = {"key": ring.current, "suite": ring.current_suite, "rows": counts,
               "unmatched_blind_indexes": unmatched}
    with transaction.atomic():
        for hook in ON_DONE.values():
            hook(summary)
    if unmatched and progress:
        progress(f"blind indexes not recomputed (register their normaliser): {unmatched}")
    return counts
