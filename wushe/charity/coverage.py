"""Coverage: streets and communities without an active community fund (阳光基金)."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from wushe.charity.models import Fund, FundKind, FundStatus
from wushe.regions.coverage import CoverageCheck, register
from wushe.regions.models import Region, RegionLevel


def has_community_fund() -> Exists:
    return Exists(Fund.objects.unscoped(reason="subquery: the outer rows are scoped").filter(region=OuterRef("pk"), kind=FundKind.COMMUNITY,
                                                 status=FundStatus.ACTIVE))


def lacks_community_fund() -> Callable[[QuerySet[Region]], QuerySet[Region]]:
    def missing(regions: QuerySet[Region]) -> QuerySet[Region]:
        return regions.filter(~has_community_fund())

    return missing


register(CoverageCheck("street_without_community_fund", _("Streets without a community fund"),
                       RegionLevel.STREET, lacks_community_fund()))
register(CoverageCheck("community_without_community_fund",
                       _("Communities without a community fund"),
                       RegionLevel.COMMUNITY, lacks_community_fund()))
