"""The residents app's part of a person's data on request: care profiles and ledger entries."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.people.models import Person
from wushe.people.subject_access import Sheet, collector, records_sheet
from wushe.residents.models import CareProfile, LedgerEntry


@collector("residents.care_profile", _("Care profiles"), order=20)
def care_profiles(person: Person) -> Sheet:
    return records_sheet("residents.care_profile", _("Care profiles"),
                         CareProfile.objects.filter(person=person))


@collector("residents.ledger_entry", _("Ledger entries"), order=21)
def ledger_entries(person: Person) -> Sheet:
    return records_sheet("residents.ledger_entry", _("Ledger entries"),
                         LedgerEntry.objects.filter(profile__person=person))
