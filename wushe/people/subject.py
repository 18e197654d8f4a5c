"""The people app's part of a person's data on request: the person and their consents."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.people.models import Consent, Person
from wushe.people.subject_access import Sheet, collector, records_sheet


@collector("people.person", _("Person"), order=10)
def person(person: Person) -> Sheet:
    return records_sheet("people.person", _("Person"), Person.objects.filter(pk=person.pk))


@collector("people.consent", _("Consents"), order=11)
def consents(person: Person) -> Sheet:
    return records_sheet("people.consent", _("Consents"), Consent.objects.filter(person=person))


@collector("people.consent_as_guardian", _("Consents given as guardian"), order=12)
def consents_as_guardian(person: Person) -> Sheet:
    return records_sheet("people.consent_as_guardian", _("Consents given as guardian"),
                         Consent.objects.filter(guardian=person))
