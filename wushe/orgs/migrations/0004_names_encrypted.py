"""Personal names of organisations encrypted at rest (#22): the person in charge and the
member roster. Nobody looks these up by name, so there is no blind index.

Atomic; SQLite's VACUUM (which drops the free pages still holding the old plaintext) cannot
run in a transaction, so people's post_migrate handler runs it after the last migration. Re-runnable: a value
already encrypted is left alone. On PostgreSQL run ``VACUUM FULL`` on both tables afterwards.
"""

from django.db import migrations

import wushe.people.names

COLUMNS = [("orgs_socialorganization", "person_in_charge"), ("orgs_orgmember", "name")]


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
        ('orgs', '0003_org_participants'),
    ]

    operations = [
        migrations.AlterField(
            model_name='orgmember',
            name='name',
            field=wushe.people.names.EncryptedNameField(verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='socialorganization',
            name='person_in_charge',
            field=wushe.people.names.EncryptedNameField(blank=True, verbose_name='person in charge'),
        ),
        migrations.RunPython(encrypt_names, decrypt_names, elidable=False),
        migrations.RunPython(scrub, migrations.RunPython.noop, elidable=False),
    ]
