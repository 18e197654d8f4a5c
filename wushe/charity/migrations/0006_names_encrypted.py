"""Personal names in charity encrypted at rest (#22): donors' names (every donor: an
individual's name is personal; enterprises' names stay unmasked on the pages) with a blind
index of the normalised name, donors' contact persons, receipts' donor names, committee
members and platform donors' display names.

Atomic; SQLite's VACUUM (which drops the free pages still holding the old plaintext) cannot
run in a transaction, so people's post_migrate handler runs it after the last migration. Re-runnable: a value
already encrypted is left alone. On PostgreSQL run ``VACUUM FULL`` on these tables afterwards.
"""

from django.db import migrations, models

import wushe.people.names

COLUMNS = [
    ("charity_donor", "name", "name_bidx"),
    ("charity_donor", "contact_name", None),
    ("charity_receipt", "donor_name", None),
    ("charity_committeemember", "name", None),
    ("charity_campaigntransaction", "display_name", None),
]


class Migration(migrations.Migration):

    dependencies = [
        ('charity', '0005_disbursement_aim'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='donor',
            options={'ordering': ['kind', 'id'], 'verbose_name': 'donor', 'verbose_name_plural': 'donors'},
        ),
        migrations.AddField(
            model_name='donor',
            name='name_bidx',
            field=models.CharField(blank=True, db_index=True, editable=False, max_length=64, null=True),
        ),
        migrations.AlterField(
            model_name='campaigntransaction',
            name='display_name',
            field=wushe.people.names.EncryptedNameField(blank=True, verbose_name="donor's display name"),
        ),
        migrations.AlterField(
            model_name='committeemember',
            name='name',
            field=wushe.people.names.EncryptedNameField(verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='donor',
            name='contact_name',
            field=wushe.people.names.EncryptedNameField(blank=True, verbose_name='contact person'),
        ),
        migrations.AlterField(
            model_name='donor',
            name='name',
            field=wushe.people.names.EncryptedNameField(verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='receipt',
            name='donor_name',
            field=wushe.people.names.EncryptedNameField(verbose_name='donor'),
        ),
        *wushe.people.names.encrypted_name_operations(COLUMNS),
    ]
