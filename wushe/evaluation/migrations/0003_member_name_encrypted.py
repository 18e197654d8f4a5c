"""Evaluation committee members' names encrypted at rest (#22). Atomic (SQLite's VACUUM runs
after the last migration: people's post_migrate handler); re-runnable. On PostgreSQL run
``VACUUM FULL evaluation_committeemember`` afterwards.
"""

from django.db import migrations

import wushe.people.names


def encrypt_names(apps, schema_editor):
    from wushe.people.names import encrypt_column

    encrypt_column(schema_editor, "evaluation_committeemember", "name")


def decrypt_names(apps, schema_editor):
    from wushe.people.names import decrypt_column

    decrypt_column(schema_editor, "evaluation_committeemember", "name")


def scrub(apps, schema_editor):
    from wushe.people.names import scrub_free_pages

    scrub_free_pages(schema_editor)


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
        migrations.RunPython(encrypt_names, decrypt_names, elidable=False),
        migrations.RunPython(scrub, migrations.RunPython.noop, elidable=False),
    ]
