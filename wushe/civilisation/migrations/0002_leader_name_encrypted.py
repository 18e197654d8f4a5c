"""Practice sites' accountable leaders' names encrypted at rest (#22). Atomic (SQLite's VACUUM runs after
the last migration: people's post_migrate handler); re-runnable. On PostgreSQL
run ``VACUUM FULL civilisation_practicesite`` afterwards.
"""

from django.db import migrations

import wushe.people.names


def encrypt_names(apps, schema_editor):
    from wushe.people.names import encrypt_column

    encrypt_column(schema_editor, "civilisation_practicesite", "leader_name")


def decrypt_names(apps, schema_editor):
    from wushe.people.names import decrypt_column

    decrypt_column(schema_editor, "civilisation_practicesite", "leader_name")


def scrub(apps, schema_editor):
    from wushe.people.names import scrub_free_pages

    scrub_free_pages(schema_editor)


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
        migrations.RunPython(encrypt_names, decrypt_names, elidable=False),
        migrations.RunPython(scrub, migrations.RunPython.noop, elidable=False),
    ]
