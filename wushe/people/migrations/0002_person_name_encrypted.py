"""Person names encrypted at rest, with a blind index of the normalised full name.

Atomic (a non-atomic migration on SQLite breaks the schema editor of the migrations after it);
SQLite's VACUUM, which drops the free pages still holding the old plaintext, cannot run inside
a transaction, so the last step marks the database and people's post_migrate handler runs it
after the last migration. On PostgreSQL run ``VACUUM FULL people_person`` afterwards
(docs/deploy.md).
"""

from django.db import migrations, models

import wushe.people.names


class Migration(migrations.Migration):

    dependencies = [
        ('people', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='name_bidx',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64,
                                   null=True),
        ),
        migrations.AlterField(
            model_name='person',
            name='name',
            field=wushe.people.names.EncryptedNameField(verbose_name='name'),
        ),
        *wushe.people.names.encrypted_name_operations([("people_person", "name", "name_bidx")]),
    ]
