"""The workforce app's part of a person's data on request: social worker and community worker
records, with trainings, appraisals and adjustments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.people.models import Person
from wushe.people.subject_access import Sheet, collector, records_sheet
from wushe.workforce.models import Adjustment, Appraisal, CommunityWorker, SocialWorker, Training


@collector("workforce.social_worker", _("Social worker record"), order=50)
def social_worker(person: Person) -> Sheet:
    return records_sheet("workforce.social_worker", _("Social worker record"),
                         SocialWorker.objects.filter(person=person))


@collector("workforce.training", _("Trainings"), order=51)
def trainings(person: Person) -> Sheet:
    return records_sheet("workforce.training", _("Trainings"),
                         Training.objects.filter(worker__person=person))


@collector("workforce.community_worker", _("Community worker record"), order=52)
def community_worker(person: Person) -> Sheet:
    return records_sheet("workforce.community_worker", _("Community worker record"),
                         CommunityWorker.objects.filter(person=person))


@collector("workforce.appraisal", _("Appraisals"), order=53)
def appraisals(person: Person) -> Sheet:
    return records_sheet("workforce.appraisal", _("Appraisals"),
                         Appraisal.objects.filter(worker__person=person))


@collector("workforce.adjustment", _("Post and grade adjustments"), order=54)
def adjustments(person: Person) -> Sheet:
    return records_sheet("workforce.adjustment", _("Post and grade adjustments"),
                         Adjustment.objects.filter(worker__person=person))
