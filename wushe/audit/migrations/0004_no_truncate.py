"""On PostgreSQL, TRUNCATE skips row triggers, so `wushe flush` (and any TRUNCATE) could empty
the audit tables past the append-only triggers of 0002. A statement trigger refuses TRUNCATE
while a table holds an event younger than the minimum retention (180 days).

The one way through is for the tests' throwaway databases: a database named test_… whose
session set wushe.allow_truncate = on (config/settings/test.py does), because Django's test
teardown flushes with TRUNCATE. A production database never matches the name.
"""

from django.db import migrations

TABLES = ["audit_auditevent", "audit_piiaccess"]
MIN_RETENTION_DAYS = 180  # wushe.audit.retention.MIN_RETENTION_DAYS, frozen here

FUNCTION = f"""
CREATE OR REPLACE FUNCTION wushe_audit_no_truncate() RETURNS trigger AS $$
DECLARE young boolean;
BEGIN
  IF current_database() LIKE 'test\\_%'
     AND coalesce(current_setting('wushe.allow_truncate', true), '') = 'on' THEN
    RETURN NULL;
  END IF;
  EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE at >= now() - interval ''{MIN_RETENTION_DAYS} days'')',
                 TG_TABLE_NAME) INTO young;
  IF young THEN
    RAISE EXCEPTION '% holds events younger than {MIN_RETENTION_DAYS} days: TRUNCATE refused '
      '(审计日志中有未满{MIN_RETENTION_DAYS}天的记录,不能清空)', TG_TABLE_NAME;
  END IF;
  RETURN NULL;
END; $$ LANGUAGE plpgsql;
"""


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return  # SQLite has no TRUNCATE: its flush is DELETE, refused by 0002's triggers
    schema_editor.execute(FUNCTION, None)  # no parameters: % is not a placeholder
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION wushe_audit_no_truncate();")


def remove(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    schema_editor.execute("DROP FUNCTION IF EXISTS wushe_audit_no_truncate()")


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_retention_guard")]
    operations = [migrations.RunPython(install, remove)]
