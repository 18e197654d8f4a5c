"""The ledger cannot be rewritten: triggers refuse UPDATE and DELETE of entries and postings
on SQLite and PostgreSQL (the ORM refuses them already, see wushe.audit.models.AppendOnlyModel).
Also creates the chain head, the one row every append locks.
"""

from django.db import migrations

from wushe.core.migration_ops import AppendOnly


def create_head(apps, schema_editor):
    head = apps.get_model("charity", "LedgerHead")
    head.objects.get_or_create(pk=1, defaults={"seq": 0, "hash": "0" * 64})


class Migration(migrations.Migration):
    dependencies = [("charity", "0001_initial")]
    operations = [
        AppendOnly("charity_ledgerentry", "charity_ledgerposting", "charity_disclosure",
                   function="wushe_charity_append_only"),
        migrations.RunPython(create_head, migrations.RunPython.noop),
    ]
