"""The needs app's part of a person's data on request: needs where they are the requester or
the resident in care, their follow-ups, and their support of 自治金 ideas (by phone)."""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.needs.models import FollowUp, IdeaSupport, Need
from wushe.people.models import Person
from wushe.people.subject_access import Sheet, collector, records_sheet


def _needs(person: Person) -> Q:
    return Q(requester=person) | Q(care_profile__person=person)


@collector("needs.need", _("Needs"), order=30)
def needs(person: Person) -> Sheet:
    return records_sheet("needs.need", _("Needs"), Need.objects.filter(_needs(person)).distinct())


@collector("needs.follow_up", _("Follow-ups of needs"), order=31)
def follow_ups(person: Person) -> Sheet:
    ids = Need.objects.filter(_needs(person)).values("pk")
    return records_sheet("needs.follow_up", _("Follow-ups of needs"),
                         FollowUp.objects.filter(need__in=ids))


@collector("needs.idea_support", _("Support of self-governance ideas"), order=32)
def idea_supports(person: Person) -> Sheet:
    qs = (IdeaSupport.objects.filter(phone_bidx=person.phone_bidx) if person.phone_bidx
          else IdeaSupport.objects.none())
    return records_sheet("needs.idea_support", _("Support of self-governance ideas"), qs)
