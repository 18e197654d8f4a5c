"""The charity app's part of a person's data on request: donor records and their donations and
receipts, disbursements to them, and fund committee memberships."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.charity.models import CommitteeMember, Disbursement, Donation, Donor, Receipt
from wushe.people.models import Person
from wushe.people.subject_access import Sheet, collector, records_sheet


@collector("charity.donor", _("Donor records"), order=60)
def donors(person: Person) -> Sheet:
    return records_sheet("charity.donor", _("Donor records"), Donor.objects.filter(person=person))


@collector("charity.donation", _("Donations"), order=61)
def donations(person: Person) -> Sheet:
    return records_sheet("charity.donation", _("Donations"),
                         Donation.objects.filter(donor__person=person))


@collector("charity.receipt", _("Donation receipts"), order=62)
def receipts(person: Person) -> Sheet:
    return records_sheet("charity.receipt", _("Donation receipts"),
                         Receipt.objects.filter(donation__donor__person=person))


@collector("charity.disbursement", _("Disbursements to the person"), order=63)
def disbursements(person: Person) -> Sheet:
    return records_sheet("charity.disbursement", _("Disbursements to the person"),
                         Disbursement.objects.filter(person=person))


@collector("charity.committee_member", _("Fund committee memberships"), order=64)
def committee(person: Person) -> Sheet:
    return records_sheet("charity.committee_member", _("Fund committee memberships"),
                         CommitteeMember.objects.filter(person=person))
