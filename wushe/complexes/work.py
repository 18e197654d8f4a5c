"""The complexes app's work items (inbox/registry.py): quarterly revenue reports waiting for
the street's approval, for whoever may approve them (street staff of the complex's street)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.complexes.models import ReportStatus, RevenueReport
from wushe.complexes.services import APPROVE
from wushe.inbox.registry import Item, producer

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor


def _item(r: RevenueReport) -> Item:
    return Item("complexes.report.approve",
                f"{_t('Revenue report')} {r.year} Q{r.quarter} · {r.complex.site.name}", None,
                reverse("complexes:detail", args=[r.complex_id]))


@producer("complexes.report.approve", label=_("Complex revenue reports to approve"),
          society="district", item=_item, order_by=("year", "quarter", "id"))
def reports_to_approve(actor: Actor) -> QuerySet[RevenueReport]:
    if not scope.has_perm(actor, APPROVE):
        return RevenueReport.objects.unscoped(reason="none(): reads no row").none()
    return (scope.visible(RevenueReport.objects, actor, APPROVE)
            .filter(status=ReportStatus.SUBMITTED).select_related("complex__site"))
