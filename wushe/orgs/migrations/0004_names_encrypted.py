"""Personal names of organisations encrypted at rest (#22): the person in charge and the
member roster. Nobody looks these up by name, so there is no blind index.

Atomic; SQLite's VACUUM (which drops the free pages still holding the old plaintext) cannot
run in a transaction, so people's post_migrate handler runs it after the last migration. Re-runnable: a value
already encrypted is left alone. On PostgreSQL run ``VACUUM FULL`` on both tables afterwards.
"""

from django.db import migrations

import wushe.people.names

COLUMNS = [("orgs_socialorganization", "person_in_charge"), ("orgs_orgmember", "name")]


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
        *wushe.people.names.encrypted_name_operations(COLUMNS),
    ]
