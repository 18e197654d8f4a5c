"""Volunteer numbers become random with a check character (they were a per-district serial:
a number on a public certificate told how many volunteers the district had and when one
joined). Every existing volunteer gets a new number; the serial counters go.

Certificates already issued keep the number they were issued with (their snapshot is frozen,
and verification is by the certificate's own random number)."""

from __future__ import annotations

import secrets

from django.db import migrations

# Frozen copies of wushe.volunteers.services.common (a migration must not follow later code).
_RANDOM = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_WEIGHTS = tuple(pow(3, i, 31) for i in range(16))
_VALUE = {ch: i for i, ch in enumerate(_RANDOM)}
_BATCH = 5_000


def _check_char(body: str) -> str:
    total = sum(int(c) * w for c, w in zip(body[:6], _WEIGHTS[:6], strict=True))
    total += sum(_VALUE[c] * w for c, w in zip(body[6:], _WEIGHTS[6:], strict=True))
    return _RANDOM[-total % 31]


def _number(district: str) -> str:
    body = district + "".join(secrets.choice(_RANDOM) for _ in range(10))
    return f"ZY{body}{_check_char(body)}"


def renumber(apps, schema_editor):  # type: ignore[no-untyped-def]
    volunteer = apps.get_model("volunteers", "Volunteer")
    used: set[str] = set()  # old serials are 16 characters, new numbers 19: they cannot meet
    batch = []
    for row in volunteer.objects.order_by("pk").only("pk", "region_path").iterator(
            chunk_size=_BATCH):
        number = _number(row.region_path[:6])
        while number in used:
            number = _number(row.region_path[:6])
        used.add(number)
        row.number = number
        batch.append(row)
        if len(batch) == _BATCH:
            volunteer.objects.bulk_update(batch, ["number"])
            batch = []
    if batch:
        volunteer.objects.bulk_update(batch, ["number"])


class Migration(migrations.Migration):

    dependencies = [
        ('volunteers', '0002_confirmed_records_immutable'),
    ]

    operations = [
        migrations.RunPython(renumber, migrations.RunPython.noop),
        migrations.DeleteModel(
            name='NumberSequence',
        ),
    ]
