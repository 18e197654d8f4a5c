"""The evaluation app's work items (inbox/registry.py): committee seats whose score sheet is
still missing, for the account that holds the seat; a seat without an account (a recipients'
paper sheet) waits for whoever manages the evaluation and may enter it (access.may_score).
A seat closes when its sheet is submitted (page, API) or when the evaluation is decided."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.evaluation import access
from wushe.evaluation.models import CommitteeMember, EvalStatus
from wushe.inbox.registry import Item, producer

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

KIND = "evaluation.seat.score"


def _seat_item(member: CommitteeMember) -> Item:
    # The project's code, the stage, the seat's party and the street: never the member's name
    # (a recipients' seat names a resident).
    ev = member.evaluation
    title = (f"{ev.project.code} · {ev.get_stage_display()} · {member.get_party_display()}"
             f" · {ev.region.name}")
    return Item(KIND, title, None, reverse("evaluation:score", args=[ev.pk, member.pk]))


@producer(KIND, label=_("Evaluation sheets to score"), society="district", item=_seat_item,
          order_by=("evaluation_id", "id"))
def seats_to_score(actor: Actor) -> QuerySet[CommitteeMember]:
    if not getattr(actor, "pk", None) or not scope.has_perm(actor, access.SCORE):
        return CommitteeMember.objects.none()
    mine = Q(user_id=actor.pk)
    managed = scope.filter_q(actor, access.MANAGE, "evaluation__region_path")
    if scope.has_perm(actor, access.MANAGE):
        mine |= Q(user=None) & (Q() if managed is None else managed)
    qs = CommitteeMember.objects.filter(mine, total__isnull=True).exclude(
        evaluation__status=EvalStatus.DECIDED)
    scored = scope.filter_q(actor, access.SCORE, "evaluation__region_path")
    if scored is not None:
        qs = qs.filter(scored)
    return qs.select_related("evaluation", "evaluation__project", "evaluation__region")
