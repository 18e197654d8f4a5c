"""The need's history stays append-only, with one exception for retention (PIPL Art. 47): a
staff note may be cleared. An UPDATE is let through only when the note becomes empty and no
other column changes; everything else is still refused by the database, whatever the client.
"""

from django.db import migrations

from wushe.core.migration_ops import AppendOnlyExcept

TABLE = "needs_needevent"
# Every column but the note: none may change in an erasure.
KEPT = ["id", "need_id", "region_path", "at", "actor_id", "actor_name", "action", "from_state",
        "to_state", "data"]


def _sqlite_unchanged() -> str:
    return " AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)


def _pg_unchanged() -> str:
    return " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in KEPT if c != "data") + \
        " AND NEW.data::jsonb IS NOT DISTINCT FROM OLD.data::jsonb"


class Migration(migrations.Migration):
    dependencies = [("needs", "0008_need_common_problem")]
    operations = [
        AppendOnlyExcept(TABLE, sqlite_allow=f"NEW.note = '' AND {_sqlite_unchanged()}",
                         pg_allow=f"NEW.note = '' AND {_pg_unchanged()}",
                         function="wushe_needevent_guard"),
    ]
