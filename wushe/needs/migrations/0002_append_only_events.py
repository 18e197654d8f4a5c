"""NeedEvent is the need's history: database triggers refuse UPDATE and DELETE on it, on SQLite
and PostgreSQL (after wushe/audit/migrations/0002_append_only_triggers.py)."""

from django.db import migrations

from wushe.core.migration_ops import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("needs", "0001_initial"), ("audit", "0002_append_only_triggers")]
    operations = [AppendOnly("needs_needevent")]
