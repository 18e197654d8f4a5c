"""Rectification items (整改) a supervision found, with a due date, and their closure."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from wushe.accounts import scope
from wushe.accounts.actor import user_or_none
from wushe.audit import recorder as audit
from wushe.core.errors import IllegalTransition, ValidationFailed
from wushe.core.services import service
from wushe.orgs import cleaning
from wushe.supervision.audit_codes import SupervisionAction
from wushe.supervision.models import (
    Rectification,
    RectificationStatus,
    Supervision,
    VisitStatus,
)
from wushe.supervision.services._common import MANAGE, VIEW, note

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

MAX_DUE_DAYS = 730  # two years: a longer deadline is a typo, not a rectification


@service
def rectification_add(*, actor: Actor, supervision: Supervision, item: object,
                      due_on: object) -> Rectification:
    scope.require(actor, MANAGE, supervision, view_perm=VIEW)
    if supervision.status != VisitStatus.DONE:
        raise IllegalTransition("督导记录后才能提出整改事项",
                                "Record the supervision before adding rectification items",
                                field="item")
    text = note(item, "item", "整改事项", "Item to rectify", required=True, max_length=1000)
    due = cleaning.date(due_on, "due_on", "整改期限", "Due date", required=True,
                        not_future=False)
    assert due is not None and supervision.done_on is not None
    if due < supervision.done_on or due > supervision.done_on + dt.timedelta(days=MAX_DUE_DAYS):
        raise ValidationFailed("整改期限须在督导日期之后两年以内",
                               "The due date lies within two years after the supervision",
                               code="date_range", field="due_on")
    rectification = Rectification.objects.create(
        supervision=supervision, region_path=supervision.region_path, item=text, due_on=due,
        created_by=user_or_none(actor))
    audit.record(actor=actor, action=SupervisionAction.RECTIFICATION_ADDED,
                 target=rectification, label=text[:80],
                 data={"supervision": supervision.pk, "due_on": str(due)})
    return rectification


@service
def rectification_close(*, actor: Actor, rectification: Rectification, closed_on: object,
                        note_text: object) -> Rectification:
    scope.require(actor, MANAGE, rectification, view_perm=VIEW)
    if rectification.status != RectificationStatus.OPEN:
        raise IllegalTransition("该整改事项已销号", "This item has already been closed",
                                field="closed_on")
    day = cleaning.date(closed_on, "closed_on", "销号日期", "Closing date", required=True)
    assert day is not None
    done_on = rectification.supervision.done_on
    if done_on is not None and day < done_on:
        raise ValidationFailed("销号日期不能早于督导日期",
                               "The closing date cannot precede the supervision",
                               code="date_range", field="closed_on")
    rectification.closure_note = note(note_text, "closure_note", "整改情况", "How it was put "
                                      "right", required=True)
    rectification.status, rectification.closed_on = RectificationStatus.CLOSED, day
    rectification.closed_by = user_or_none(actor)
    rectification.save()
    audit.record(actor=actor, action=SupervisionAction.RECTIFICATION_CLOSED,
                 target=rectification, label=rectification.item[:80],
                 data={"closed_on": str(day), "due_on": str(rectification.due_on),
                       "late": day > rectification.due_on})
    return rectification
