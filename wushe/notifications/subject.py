"""The notifications app's part of a person's data on request: the notification preferences
of the accounts tied to the person (as a volunteer or a community worker)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.notifications.models import Preference
from wushe.people.models import Person
from wushe.people.subject_access import Sheet, collector, records_sheet
from wushe.volunteers.models import Volunteer
from wushe.workforce.models import CommunityWorker


@collector("notifications.preference", _("Notification preferences"), order=70)
def preferences(person: Person) -> Sheet:
    users = {*Volunteer.objects.filter(person=person).exclude(user=None)
             .values_list("user_id", flat=True),
             *CommunityWorker.objects.filter(person=person).exclude(account=None)
             .values_list("account_id", flat=True)}
    return records_sheet("notifications.preference", _("Notification preferences"),
                         Preference.objects.filter(user_id__in=users))
