"""The renovation app's work items (inbox/registry.py): party centres whose programme's plan has
run out (its last year is over) and which are not yet accepted, for the district that runs the
programme (an account managing sites from a district-level grant)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.inbox.registry import Item, producer
from wushe.renovation.models import Progress, Renovation
from wushe.renovation.services import MANAGE

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

DISTRICT_PATH = 6  # a district's region path (500107); streets and communities are longer

KIND = "renovation.renovation.overdue"


def planned_finish(renovation: Renovation) -> dt.date:
    """A centre is planned to be accepted by the end of its programme's last year."""
    return dt.date(renovation.programme.end_year, 12, 31)


def _item(r: Renovation) -> Item:
    return Item(KIND, f"{_t('Renovation not accepted')} · {r.site.name} · "
                f"{r.get_progress_display()}", planned_finish(r),
                reverse("renovation:renovation", args=[r.pk]))


@producer(KIND, label=_("Renovations past their planned finish"), society="district",
          item=_item, order_by=("programme__end_year", "id"))
def renovations_overdue(actor: Actor, today: dt.date | None = None) -> QuerySet[Renovation]:
    year = (today or dt.date.today()).year
    qs = (Renovation.objects.unscoped(reason="inbox: filtered to the actor's paths below").exclude(progress=Progress.ACCEPTED)
          .filter(programme__end_year__lt=year).select_related("site", "programme"))
    if scope.is_superuser(actor):
        return qs
    paths = [p for p in scope.paths(actor, MANAGE) if len(p) <= DISTRICT_PATH]
    if not paths:
        return qs.none()
    q = Q()
    for p in paths:
        q |= scope.subtree_q("region_path", p)
    return qs.filter(q)
