"""Key rotation for personal data: move every encrypted value to the current key.

Rotation is: put a new key first in WUSHE_PII_KEYS (``wushe rotatekey`` does it for the
development key file), run ``wushe reencrypt``, then drop the old key. Reads keep working
throughout, because every value names the key that wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.apps import apps
from django.db import connection, models, transaction

from wushe.audit import services as audit
from wushe.audit.codes import Action
from wushe.core.crypto import EncryptedTextField, keyring


def encrypted_columns() -> Iterator[tuple[type[models.Model], list[str]]]:
    for model in apps.get_models():
        cols = [str(f.column) for f in model._meta.concrete_fields
                if isinstance(f, EncryptedTextField)]
        if cols:
            yield model, cols


def reencrypt_all(*, batch: int = 2000, progress: Callable[[str], None] | None = None) -> dict[str, int]:
    ring = keyring()
    counts: dict[str, int] = {}
    qn = connection.ops.quote_name
    for model, cols in encrypted_columns():
        table, pk = qn(model._meta.db_table), qn(str(model._meta.pk.column))
        # Identifiers come from model metadata, quoted; values are parameters.
        select = f"SELECT {pk}, {', '.join(qn(c) for c in cols)} FROM {table} WHERE {pk} > %s " \
                 f"ORDER BY {pk} LIMIT %s"  # noqa: S608
        update = f"UPDATE {table} SET {', '.join(f'{qn(c)} = %s' for c in cols)} WHERE {pk} = %s"  # noqa: S608
        last, changed = 0, 0
        while True:
            with transaction.atomic(), connection.cursor() as cur:
                cur.execute(select, [last, batch])
                rows = cur.fetchall()
                if not rows:
                    break
                updates = []
                for row in rows:
                    values = list(row[1:])
                    if any(v and ring.key_id(v) != ring.current for v in values):
                        new = [ring.encrypt(ring.decrypt(v)) if v else v for v in values]
                        updates.append([*new, row[0]])
                if updates:
                    cur.executemany(update, updates)
                changed += len(updates)
                last = rows[-1][0]
            if progress:
                progress(f"{model._meta.label}: {changed} re-encrypted (at id {last})")
        counts[model._meta.label] = changed
    with transaction.atomic():
        audit.record(actor=None, action=Action.PII_REENCRYPTED,
                     data={"key": ring.current, "rows": counts})
    return counts
