"""The needs app's work items (inbox/registry.py): needs to accept and to dispatch (community
staff), assignments to take (whoever acts for the society the need went to: the
organisation's staff, the team leaders of the team's subtree, the fund's managers, the social
worker, the committee), and needs overdue or escalated (street and district)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.inbox.registry import Item, producer
from wushe.needs import access, perms
from wushe.needs.models import Assignment, AssignmentState, Need
from wushe.needs.workflow import DONE, OPEN, TERMINAL, State

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _title(need: Need) -> str:
    # The code, the kind of help and the community: what the reader sees masked anyway.
    return f"{need.tracking_code} · {need.get_category_display()} · {need.community.name}"


def _need_item(kind: str) -> Any:
    def item(need: Need) -> Item:
        return Item(kind, _title(need), need.due_on,
                    reverse("needs:detail", args=[need.pk]))
    return item


def _needs(actor: Actor, perm: str) -> QuerySet[Need]:
    """Needs the actor may act on with ``perm`` in its regions (none without the permission)."""
    if not scope.has_perm(actor, perm):
        return Need.objects.unscoped(reason="none(): reads no row").none()
    q = access.region_q(actor, perm)
    # No ``merged_into=None``: a merged need is in the state merged, which no producer asks
    # for, and that filter (true of nearly every row) led SQLite to walk the whole table
    # through the merged_into index (11 ms a count at seed) instead of need_state_path_due.
    qs = Need.objects.unscoped(reason="inbox: filtered to the actor's paths below").all()
    return (qs if q is None else qs.filter(q)).select_related("community")


@producer("needs.need.accept", label=_("Needs to accept"), society="committee",
          item=_need_item("needs.need.accept"), order_by=("due_on", "id"))
def needs_to_accept(actor: Actor) -> QuerySet[Need]:
    return _needs(actor, perms.NEED_HANDLE).filter(state=State.SUBMITTED)


@producer("needs.need.dispatch", label=_("Needs to dispatch"), society="committee",
          item=_need_item("needs.need.dispatch"), order_by=("due_on", "id"))
def needs_to_dispatch(actor: Actor) -> QuerySet[Need]:
    return _needs(actor, perms.NEED_DISPATCH).filter(state=State.ACCEPTED)


@producer("needs.need.escalated", label=_("Escalated needs"), society="district",
          item=_need_item("needs.need.escalated"), order_by=("due_on", "id"))
def needs_escalated(actor: Actor) -> QuerySet[Need]:
    return _needs(actor, perms.NEED_SUPERVISE).filter(state__in=OPEN, escalation_level__gt=0)


@producer("needs.need.overdue", label=_("Overdue needs"), society="district",
          item=_need_item("needs.need.overdue"), order_by=("due_on", "id"))
def needs_overdue(actor: Actor) -> QuerySet[Need]:
    from django.utils import timezone

    return _needs(actor, perms.NEED_SUPERVISE).filter(
        state__in=OPEN, escalation_level=0, due_on__lt=timezone.localdate())


def _assignment_item(a: Assignment) -> Item:
    return Item("needs.assignment.take", _title(a.need), a.need.due_on,
                reverse("needs:detail", args=[a.need_id]))


@producer("needs.assignment.take", label=_("Assignments to take"), society="org",
          item=_assignment_item, order_by=("need__due_on", "id"))
def assignments_to_take(actor: Actor) -> QuerySet[Assignment]:
    q = access.assignee_q(actor)
    if not q.children:  # acts for nobody
        return Assignment.objects.unscoped(reason="none(): reads no row").none()
    # An assignment the assignee takes by acting on its own linked record (a fund's managers
    # approve the disbursement request dispatch made) is that record's work item, not a
    # second one here.
    return (Assignment.objects.unscoped(reason="inbox: filtered to the actor's paths below").filter(q, state=AssignmentState.PENDING,
                                                 external_ref="")
            .exclude(need__state__in=DONE | TERMINAL)
            .select_related("need", "need__community"))
