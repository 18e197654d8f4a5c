"""Names on volunteer applications encrypted at rest (#22): the applicant's and the
guardian's. Atomic (SQLite's VACUUM runs after
the last migration: people's post_migrate handler); re-runnable.
On PostgreSQL run ``VACUUM FULL volunteers_volunteerapplication`` afterwards.
"""

from django.db import migrations

import wushe.people.names

COLUMNS = [("volunteers_volunteerapplication", "name"),
           ("volunteers_volunteerapplication", "guardian_name")]


def encrypt_names(apps, schema_editor):
    from wushe.people.names import encrypt_column

    for table, column in COLUMNS:
        encrypt_column(schema_editor, table, column)


def decrypt_names(apps, schema_editor):
    from wushe.people.names import decrypt_column

    for table, column in COLUMNS:
        decrypt_column(schema_editor, table, column)


def scrub(apps, schema_editor):
    from wushe.people.names import scrub_free_pages

    scrub_free_pages(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0004_servicerecord_record_status_path'),
    ]

    operations = [
        migrations.AlterField(
            model_name='volunteerapplication',
            name='guardian_name',
            field=wushe.people.names.EncryptedNameField(blank=True, verbose_name="guardian's name"),
        ),
        migrations.AlterField(
            model_name='volunteerapplication',
            name='name',
            field=wushe.people.names.EncryptedNameField(verbose_name='name'),
        ),
        migrations.RunPython(encrypt_names, decrypt_names, elidable=False),
        migrations.RunPython(scrub, migrations.RunPython.noop, elidable=False),
    ]
