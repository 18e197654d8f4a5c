"""Names on volunteer applications encrypted at rest (#22): the applicant's and the
guardian's. Atomic (SQLite's VACUUM runs after
the last migration: people's post_migrate handler); re-runnable.
On PostgreSQL run ``VACUUM FULL volunteers_volunteerapplication`` afterwards.
"""

from django.db import migrations

import wushe.people.names

COLUMNS = [("volunteers_volunteerapplication", "name"),
           ("volunteers_volunteerapplication", "guardian_name")]


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
        *wushe.people.names.encrypted_name_operations(COLUMNS),
    ]
