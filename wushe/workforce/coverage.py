"""Coverage check of the workforce app: communities where no social worker is in post at a
site of the community (the room of the three-tier system stands empty)."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext_lazy as _

from wushe.regions.coverage import CoverageCheck, register
from wushe.regions.models import Region, RegionLevel
from wushe.workforce.models import SocialWorker, WorkerStatus


def without_placed_worker(regions: QuerySet[Region]) -> QuerySet[Region]:
    placed = SocialWorker.objects.unscoped(reason="subquery: the outer rows are scoped").filter(site__region=OuterRef("pk"),
                                                    status=WorkerStatus.ACTIVE)
    return regions.filter(~Exists(placed))


register(CoverageCheck("community_without_placed_social_worker",
                       _("Communities without a social worker placed in them"),
                       RegionLevel.COMMUNITY, without_placed_worker))
