"""Social organisations as a society of the linkage: which organisations can take a need.

Ranked by placement (its region against the need's community), fit (its category for the
need's category) and standing (a current rating). Its staff (org_staff object grant) take or
return the assignment.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import Max, Q

from wushe.accounts import scope
from wushe.needs.linkage import BaseProvider, Candidate, ScorePart, Society, register
from wushe.orgs.models import SocialOrganization
from wushe.orgs.models.organisation import Category, OrgStatus, Rating

if TYPE_CHECKING:
    from wushe.accounts.actor import Actor

# Which kinds of organisation fit which needs (category codes of needs/categories.py).
FIT: dict[str, set[str]] = {
    Category.SOCIAL_WORK: {"counselling", "child_care", "elderly_care", "disability_support",
                           "temporary_relief", "medical_help", "legal_aid", "employment"},
    Category.PUBLIC_SERVICE: {"elderly_care", "child_care", "disability_support",
                              "environment", "medical_help", "employment", "temporary_relief"},
    Category.GOVERNANCE: {"dispute", "property", "environment", "policy"},
    Category.HUB: {"other", "policy"},
}
ACTIVE = (OrgStatus.FILED, OrgStatus.REGISTERED, OrgStatus.INCUBATING)
LOOK_AT = 300  # organisations read per need: those nearest first


class OrganisationProvider(BaseProvider):
    society: ClassVar[str] = Society.ORGANISATION

    def suggest(self, need: Any, *, limit: int) -> list[Candidate]:
        community, street = need.region_path[:12], need.region_path[:9]
        orgs = list(SocialOrganization.objects.unscoped(reason="registry: public organisation registry data")
                    .filter(Q(region_path=community) | Q(region_path=street)
                            | Q(region_path=street[:6]), status__in=ACTIVE)
                    .only("id", "name", "category", "region_path").order_by("-region_path")
                    [:LOOK_AT])
        today = dt.date.today()
        grades = dict(Rating.objects.unscoped(reason="registry: public organisation registry data").filter(org_id__in=[o.pk for o in orgs], ended_reason="",
                                            valid_until__gte=today)
                      .values("org_id").annotate(g=Max("grade")).values_list("org_id", "g"))
        out = []
        for org in orgs:
            parts = [self._placement(org.region_path, community, street)]
            if need.category in FIT.get(org.category, set()):
                parts.append(ScorePart("fit", 30, f"{org.get_category_display()}对口此类需求",
                                       "Its kind of work covers this need"))
            grade = grades.get(org.pk)
            if grade:
                parts.append(ScorePart("rating", 4 * grade, f"评估等级{grade}A",
                                       f"Rated {grade}A"))
            out.append(Candidate(self.society, str(org.pk), org.name, tuple(parts)))
        return sorted(out, key=lambda c: -c.score)[:limit]

    @staticmethod
    def _placement(path: str, community: str, street: str) -> ScorePart:
        if path == community:
            return ScorePart("near", 40, "本社区的社会组织", "In the need's community")
        if path == street:
            return ScorePart("near", 25, "本街道(镇)的社会组织", "In the need's street")
        return ScorePart("near", 10, "区级社会组织", "District-wide organisation")

    def may_act(self, actor: Actor, assignment: Any) -> bool:
        return assignment.object_id in self.acting_for(actor)

    def acting_for(self, actor: Actor) -> list[str]:
        return [str(i) for i in scope.object_ids(actor, "org", "orgs.edit")]

    def entrusted_processing(self, object_ids: list[str], on: dt.date) -> set[str]:
        """Of the organisations ``object_ids``, those with an entrusted-processing agreement
        (PIPL Art. 21) covering needs handling in force on ``on``: only they receive a need
        with personal data (needs/services/assign.need_dispatch asks before any write)."""
        from wushe.orgs.selectors import orgs_with_agreement

        ids = [int(i) for i in object_ids if str(i).isdigit()]
        return {str(i) for i in orgs_with_agreement(ids, on)}


register(OrganisationProvider())
