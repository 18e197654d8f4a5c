"""The charity app's work items (inbox/registry.py): disbursement requests waiting for an
approval from this account (whoever may approve for the fund: its managers by object grant,
the district by region grant; never the requester, never a manager who has already decided),
and approved disbursements waiting to be paid (whoever may manage the fund)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.accounts.actor import signed_in
from wushe.charity import access
from wushe.charity.models import Disbursement, DisbursementStatus
from wushe.inbox.registry import Item, producer

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _title(d: Disbursement) -> str:
    # The number, the kind of spending, the fund and the amount: never the purpose or the
    # beneficiary (free text that may name a person).
    return (f"{_t('Disbursement')} #{d.pk} · {d.get_category_display()} · {d.fund.name}"
            f" · {d.amount} {_t('yuan')}")


def _item(kind: str) -> Any:
    def item(d: Disbursement) -> Item:
        return Item(kind, _title(d), None,
                    reverse("charity:disbursement_detail", args=[d.pk]))
    return item


def _disbursements(actor: Actor, perm: str, status: str) -> QuerySet[Disbursement]:
    """Disbursements in ``status`` of the funds the actor holds ``perm`` on (none without it)."""
    if not scope.has_perm(actor, perm):
        return Disbursement.objects.unscoped(reason="none(): reads no row").none()
    q = access.fund_q(actor, perm)
    qs = Disbursement.objects.unscoped(reason="inbox: filtered to the actor's paths below").filter(status=status)
    return (qs if q is None else qs.filter(q)).select_related("fund")


@producer("charity.disbursement.approve", label=_("Disbursements to approve"), society="charity",
          item=_item("charity.disbursement.approve"), order_by=("requested_at", "id"))
def disbursements_to_approve(actor: Actor) -> QuerySet[Disbursement]:
    # Not one's own request; with two signatures, not again for the manager who signed.
    return (_disbursements(actor, access.APPROVE, DisbursementStatus.REQUESTED)
            .exclude(requested_by=signed_in(actor)).exclude(approvals__approver=signed_in(actor)))


@producer("charity.disbursement.pay", label=_("Disbursements to pay"), society="charity",
          item=_item("charity.disbursement.pay"), order_by=("approved_at", "id"))
def disbursements_to_pay(actor: Actor) -> QuerySet[Disbursement]:
    return _disbursements(actor, access.MANAGE, DisbursementStatus.APPROVED)
