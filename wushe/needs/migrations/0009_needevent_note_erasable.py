"""The need's history stays append-only, with one exception for retention (PIPL Art. 47): a
staff note may be cleared. An UPDATE is let through only when the note becomes empty and no
other column changes; everything else is still refused by the database, whatever the client.
"""

from django.db import migrations

TABLE = "needs_needevent"
# Every column but the note: none may change in an erasure.
KEPT = ["id", "need_id", "region_path", "at", "actor_id", "actor_name", "action", "from_state",
        "to_state", "data"]


def _sqlite_unchanged() -> str:
    return " AND ".join(f"NEW.{c} IS OLD.{c}" for c in KEPT)


def _pg_unchanged() -> str:
    return " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in KEPT if c != "data") + \
        " AND NEW.data::jsonb IS NOT DISTINCT FROM OLD.data::jsonb"


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"WHEN NOT (NEW.note = '' AND {_sqlite_unchanged()}) "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END;")
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION wushe_needevent_guard() RETURNS trigger AS $$ "
            "BEGIN "
            "IF TG_OP = 'UPDATE' AND NEW.note = '' AND " + _pg_unchanged() + " THEN "
            "RETURN NEW; END IF; "
            "RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; "
            "END; $$ LANGUAGE plpgsql;",
            None,  # no parameters: keep the driver from reading % as a placeholder
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION wushe_needevent_guard();")


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_no_update")
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END;")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}")
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION wushe_append_only();")
        schema_editor.execute("DROP FUNCTION IF EXISTS wushe_needevent_guard()")


class Migration(migrations.Migration):
    dependencies = [("needs", "0008_need_common_problem")]
    operations = [migrations.RunPython(install, remove)]
