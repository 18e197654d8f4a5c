"""Practice sites' accountable leaders' names encrypted at rest (#22). Atomic (SQLite's VACUUM runs after
the last migration: people's post_migrate handler); re-runnable. On PostgreSQL
run ``VACUUM FULL civilisation_practicesite`` afterwards.
"""

from django.db import migrations

import wushe.people.names


class Migration(migrations.Migration):

    dependencies = [
        ('civilisation', '0001_initial'),
    ]

    operations = [
        migrations.AlterField(
            model_name='practicesite',
            name='leader_name',
            field=wushe.people.names.EncryptedNameField(verbose_name='accountable leader (书记)'),
        ),
        *wushe.people.names.encrypted_name_operations([("civilisation_practicesite", "leader_name")]),
    ]
