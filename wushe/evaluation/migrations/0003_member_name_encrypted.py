"""Evaluation committee members' names encrypted at rest (#22). Atomic (SQLite's VACUUM runs
after the last migration: people's post_migrate handler); re-runnable. On PostgreSQL run
``VACUUM FULL evaluation_committeemember`` afterwards.
"""

from django.db import migrations

import wushe.people.names


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0002_default_indicators'),
    ]

    operations = [
        migrations.AlterField(
            model_name='committeemember',
            name='name',
            field=wushe.people.names.EncryptedNameField(verbose_name='name'),
        ),
        *wushe.people.names.encrypted_name_operations([("evaluation_committeemember", "name")]),
    ]
