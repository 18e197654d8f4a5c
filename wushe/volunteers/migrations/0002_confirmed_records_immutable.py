"""Database triggers: a confirmed service record is never changed or deleted, whatever the client.

The ORM already refuses (models/records.py); these make raw SQL refuse too, on SQLite and
PostgreSQL. The one change a confirmed row admits is being marked superseded, once, when a
correction of it is confirmed.
"""

from django.db import migrations

TABLE = "volunteers_servicerecord"
# Every column but superseded_by_id: none may change once the record is confirmed.
FROZEN = ["id", "volunteer_id", "team_id", "team_path", "activity_id", "region_id",
          "region_path", "started_at", "ended_at", "service_date", "hours", "content", "status",
          "recorded_by_id", "created_at", "decided_by_id", "decided_at", "reject_reason",
          "corrects_id", "reason"]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in FROZEN)
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_confirmed_no_update BEFORE UPDATE ON {TABLE} "
            f"WHEN OLD.status = 'confirmed' AND (OLD.superseded_by_id IS NOT NULL OR {changed}) "
            f"BEGIN SELECT RAISE(ABORT, 'confirmed service records are immutable'); END;")
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_confirmed_no_delete BEFORE DELETE ON {TABLE} "
            f"WHEN OLD.status = 'confirmed' "
            f"BEGIN SELECT RAISE(ABORT, 'confirmed service records cannot be deleted'); END;")
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION volunteers_record_frozen() RETURNS trigger AS $$ "
            "BEGIN "
            "IF OLD.status <> 'confirmed' THEN "
            "  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END IF; "
            "IF TG_OP = 'DELETE' THEN "
            "  RAISE EXCEPTION 'confirmed service records cannot be deleted'; END IF; "
            "IF OLD.superseded_by_id IS NOT NULL "
            "   OR (to_jsonb(NEW) - 'superseded_by_id') <> (to_jsonb(OLD) - 'superseded_by_id') THEN "
            "  RAISE EXCEPTION 'confirmed service records are immutable'; END IF; "
            "RETURN NEW; END; $$ LANGUAGE plpgsql;",
            None,  # no parameters: keep the driver from reading % as a placeholder
        )
        schema_editor.execute(
            f"CREATE TRIGGER {TABLE}_frozen BEFORE UPDATE OR DELETE ON {TABLE} "
            f"FOR EACH ROW EXECUTE FUNCTION volunteers_record_frozen();")


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_confirmed_no_update")
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_confirmed_no_delete")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TABLE}_frozen ON {TABLE}")


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]
    operations = [migrations.RunPython(install, remove)]
