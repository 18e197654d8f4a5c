"""自治金 ideas that have gathered enough residents' support and wait for the community's
decision (adopt or not), as a work item for whoever may decide ideas in the idea's community.

"Enough" is the local rule ``needs.idea_support_threshold`` (online and paper support counted
together), read district-wide: a district sets it once for its 自治金 board."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.inbox.registry import Item, producer
from wushe.needs import perms
from wushe.needs.models import Idea, IdeaState
from wushe.regions import rules
from wushe.regions.rules import Rule, define

THRESHOLD = define(Rule(
    key="needs.idea_support_threshold", doc="self-governance-fund", unit="people", default=30,
    kind="int",
    zh="自治金金点子达到多少居民支持后提交社区决定(线上与纸质合计)",
    en="Residents' supports (online and on paper) after which a 自治金 idea waits for the "
       "community's decision",
    source="区社区居民自治金管理办法:金点子经居民支持达到规定人数后提交社区决定(人数由区确定,默认30人)",
    setting="WUSHE_IDEA_SUPPORT_THRESHOLD", minimum=Decimal(1), maximum=Decimal(100000)))

KIND = "needs.idea.decide"


def _item(idea: Idea) -> Item:
    return Item(KIND, f"{idea.code} · {_t('supports')} "
                f"{idea.support_count + idea.paper_support_count} · {idea.region.name}", None,
                reverse("needs:idea", args=[idea.pk]))


@producer(KIND, label=_("Supported ideas to decide"), society="committee", item=_item,
          order_by=("submitted_at", "id"))
def ideas_to_decide(actor: Any) -> QuerySet[Idea]:
    if not scope.has_perm(actor, perms.IDEA_DECIDE):
        return Idea.objects.unscoped().none()
    threshold = int(rules.value(THRESHOLD.key))
    return (scope.visible(Idea.objects, actor, perms.IDEA_DECIDE)
            .filter(state=IdeaState.SUBMITTED)
            .alias(total_support=F("support_count") + F("paper_support_count"))
            .filter(total_support__gte=threshold).select_related("region"))
