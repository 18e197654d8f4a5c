"""Database triggers that refuse UPDATE and DELETE on the audit tables, whatever the client.

The ORM already refuses; these make raw SQL refuse too, on SQLite and on PostgreSQL.
"""

from django.db import migrations

from wushe.core.migration_ops import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [AppendOnly("audit_auditevent", "audit_piiaccess")]
