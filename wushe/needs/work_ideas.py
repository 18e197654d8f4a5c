"""自治金 ideas that have gathered enough residents' support and wait for the community's
decision (adopt or not), as a work item for whoever may decide ideas in the idea's community.

"Enough" is the local rule ``needs.idea_support_threshold`` (online and paper support counted
together), per community like every local rule (an override on the community, its street or
the district)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _

from wushe.accounts import scope
from wushe.inbox.registry import Item, producer
from wushe.needs import perms
from wushe.needs.models import Idea, IdeaState
from wushe.regions import rules
from wushe.regions.models import RegionRule
from wushe.regions.rules import Rule, define

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

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


def _threshold(path: str, overrides: dict[str, Any], base: int) -> int:
    """The rule's value for a community: its own override, else its street's, its district's,
    else the default (the same order as regions.rules.value)."""
    for n in (15, 12, 9, 6):
        if n <= len(path) and path[:n] in overrides:
            return int(THRESHOLD.from_json(overrides[path[:n]]))
    return base


@producer(KIND, label=_("Supported ideas to decide"), society="committee", item=_item,
          order_by=("submitted_at", "id"))
def ideas_to_decide(actor: Actor) -> QuerySet[Idea]:
    if not scope.has_perm(actor, perms.IDEA_DECIDE):
        return Idea.objects.unscoped(reason="none(): reads no row").none()
    waiting = (scope.visible(Idea.objects, actor, perms.IDEA_DECIDE)
               .filter(state=IdeaState.SUBMITTED)
               .alias(total_support=F("support_count") + F("paper_support_count")))
    # The threshold is a local rule per community: read every override once (two queries in
    # all, however many communities), group the communities by threshold.
    overrides = dict(RegionRule.objects.unscoped(reason="rules: local rules read by region path").filter(key=THRESHOLD.key)
                     .values_list("region_path", "value"))
    base = int(rules.value(THRESHOLD.key))
    by_threshold: dict[int, list[str]] = {}
    for path in set(waiting.order_by().values_list("region_path", flat=True)):
        by_threshold.setdefault(_threshold(path, overrides, base), []).append(path)
    if not by_threshold:
        return waiting.none()
    q = Q()
    for threshold, paths in by_threshold.items():
        q |= Q(region_path__in=paths, total_support__gte=threshold)
    return waiting.filter(q).select_related("region")
