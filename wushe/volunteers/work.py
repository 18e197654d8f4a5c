"""The volunteers app's work items (inbox/registry.py): service records (hours) waiting for
confirmation — for the team leaders of the recording team's subtree and whoever confirms in the
record's region — and volunteer applications waiting for a decision, for whoever may approve
them (the application's community or team, and the chosen team itself)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.inbox.registry import Item, producer
from wushe.volunteers import access
from wushe.volunteers.models import (
    ApplicationStatus,
    RecordStatus,
    ServiceRecord,
    VolunteerApplication,
)

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _record_item(r: ServiceRecord) -> Item:
    # The number, the team, the day and the hours: never the volunteer.
    return Item("volunteers.record.confirm",
                f"{_t('Service record')} #{r.pk} · {r.team.name} · {r.service_date:%Y-%m-%d}"
                f" · {r.hours} h",
                None, reverse("volunteers:record", args=[r.pk]))


@producer("volunteers.record.confirm", label=_("Hours to confirm"), society="volunteer",
          item=_record_item, order_by=("started_at", "id"))
def records_to_confirm(actor: Actor) -> QuerySet[ServiceRecord]:
    if not scope.has_perm(actor, access.CONFIRM):
        return ServiceRecord.objects.unscoped(reason="none(): reads no row").none()
    # The confirmation queue's own scope: region grants, and team grants over their subtree.
    return (access.visible(ServiceRecord.objects, actor, access.CONFIRM)
            .filter(status=RecordStatus.PENDING).select_related("team"))


def application_link(application_id: int) -> str:
    return (f"{reverse('volunteers:applications')}?"
            f"{urlencode({'application': application_id})}")


def _application_item(a: VolunteerApplication) -> Item:
    # The application's reference, community and team: never the applicant.
    team = f" · {a.team.name}" if a.team is not None else ""
    return Item("volunteers.application.approve",
                f"{_t('Volunteer application')} {a.reference} · {a.region.name}{team}",
                None, application_link(a.pk))


@producer("volunteers.application.approve", label=_("Volunteer applications to decide"),
          society="volunteer", item=_application_item, order_by=("created_at", "id"))
def applications_to_approve(actor: Actor) -> QuerySet[VolunteerApplication]:
    if not scope.has_perm(actor, access.MANAGE):
        return VolunteerApplication.objects.unscoped(reason="none(): reads no row").none()
    # application_approve needs MANAGE over the application and over the team it joins.
    qs = access.visible(VolunteerApplication.objects, actor, access.MANAGE).filter(
        status=ApplicationStatus.PENDING)
    team_q = access.scope_q(actor, access.MANAGE, team_field="team_path",
                            region_field="team__region_path")
    if team_q is not None:
        qs = qs.filter(Q(team=None) | team_q)
    return qs.select_related("region", "team")
