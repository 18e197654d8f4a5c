"""The supervision app's work items (inbox/registry.py): planned visits whose day has come
(due today or overdue), for whoever may record them (supervision.manage over the project's
region, the rule of services.supervision_record); and rectification items past their due date
and still open, for whoever may close them. A visit closes when it is recorded, missed or
moved to a later day (page, API); the periodic job supervision.schedules plans the visits that
open them. A rectification closes when it is closed (page, API)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.inbox.registry import Item, producer
from wushe.supervision.models import (
    VISIT_KINDS,
    Rectification,
    RectificationStatus,
    Supervision,
    VisitStatus,
)
from wushe.supervision.services._common import MANAGE

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

VISIT_KIND = "supervision.visit.due"
RECTIFICATION_KIND = "supervision.rectification.overdue"


def _where(visit: Supervision) -> str:
    code = visit.project.code if visit.project is not None else ""
    return " · ".join(p for p in (code, str(visit.kind_short), visit.region.name) if p)


def _visit_item(visit: Supervision) -> Item:
    return Item(VISIT_KIND, _where(visit), visit.scheduled_on,
                reverse("supervision:visit", args=[visit.pk]))


def _rectification_item(r: Rectification) -> Item:
    # Not the item's text: it is free text and may name people.
    title = f"{_where(r.supervision)} · {_('Rectification')}"
    return Item(RECTIFICATION_KIND, title, r.due_on,
                reverse("supervision:visit", args=[r.supervision_id]))


@producer(VISIT_KIND, label=_("Supervision visits due"), society="social_worker",
          item=_visit_item, order_by=("scheduled_on", "id"))
def visits_due(actor: Actor) -> QuerySet[Supervision]:
    if not scope.has_perm(actor, MANAGE):
        return Supervision.objects.unscoped(reason="none(): reads no row").none()
    return (scope.visible(Supervision.objects, actor, MANAGE)
            .filter(kind__in=VISIT_KINDS, status=VisitStatus.PLANNED,
                    scheduled_on__lte=timezone.localdate())
            .select_related("project", "region"))


@producer(RECTIFICATION_KIND, label=_("Overdue rectifications"), society="social_worker",
          item=_rectification_item, order_by=("due_on", "id"))
def rectifications_overdue(actor: Actor) -> QuerySet[Rectification]:
    if not scope.has_perm(actor, MANAGE):
        return Rectification.objects.unscoped(reason="none(): reads no row").none()
    return (scope.visible(Rectification.objects, actor, MANAGE)
            .filter(status=RectificationStatus.OPEN, due_on__lt=timezone.localdate())
            .select_related("supervision", "supervision__project", "supervision__region"))
