"""The volunteers app's part of a person's data on request: the volunteer record, memberships,
sign-ups, service records (hours), certificates, applications made with their ID number, and
pairings and visit logs where they are the person in care."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.people.models import Person
from wushe.people.subject_access import Sheet, collector, records_sheet
from wushe.volunteers.models import (
    Certificate,
    Membership,
    Pairing,
    ServiceRecord,
    SignUp,
    VisitLog,
    Volunteer,
    VolunteerApplication,
)


@collector("volunteers.volunteer", _("Volunteer record"), order=40)
def volunteer(person: Person) -> Sheet:
    return records_sheet("volunteers.volunteer", _("Volunteer record"),
                         Volunteer.objects.filter(person=person))


@collector("volunteers.application", _("Volunteer applications"), order=41)
def applications(person: Person) -> Sheet:
    qs = (VolunteerApplication.objects.filter(id_number_bidx=person.id_number_bidx)
          if person.id_number_bidx else VolunteerApplication.objects.none())
    return records_sheet("volunteers.application", _("Volunteer applications"), qs)


@collector("volunteers.membership", _("Team memberships"), order=42)
def memberships(person: Person) -> Sheet:
    return records_sheet("volunteers.membership", _("Team memberships"),
                         Membership.objects.filter(volunteer__person=person))


@collector("volunteers.signup", _("Activity sign-ups"), order=43)
def signups(person: Person) -> Sheet:
    return records_sheet("volunteers.signup", _("Activity sign-ups"),
                         SignUp.objects.filter(volunteer__person=person))


@collector("volunteers.service_record", _("Service records and hours"), order=44)
def service_records(person: Person) -> Sheet:
    return records_sheet("volunteers.service_record", _("Service records and hours"),
                         ServiceRecord.objects.filter(volunteer__person=person))


@collector("volunteers.certificate", _("Service certificates"), order=45)
def certificates(person: Person) -> Sheet:
    return records_sheet("volunteers.certificate", _("Service certificates"),
                         Certificate.objects.filter(volunteer__person=person))


@collector("volunteers.pairing", _("Pairings as the person in care"), order=46)
def pairings(person: Person) -> Sheet:
    return records_sheet("volunteers.pairing", _("Pairings as the person in care"),
                         Pairing.objects.filter(person=person))


@collector("volunteers.visit_log", _("Home visits"), order=47)
def visit_logs(person: Person) -> Sheet:
    return records_sheet("volunteers.visit_log", _("Home visits"),
                         VisitLog.objects.filter(pairing__person=person))
