"""Capacity assessment over the seven areas of the seed text, one column per area so that
"the weakest areas across a street" is a single aggregate."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager

# (field, label): 内部治理, 团队管理, 财务管理, 项目管理, 品牌建设, 服务推广, 专业技术.
AREAS: tuple[tuple[str, Any], ...] = (
    ("governance", _("Internal governance (内部治理)")),
    ("team", _("Team management (团队管理)")),
    ("finance", _("Financial management (财务管理)")),
    ("projects", _("Project management (项目管理)")),
    ("brand", _("Brand building (品牌建设)")),
    ("outreach", _("Service promotion (服务推广)")),
    ("expertise", _("Professional skills (专业技术)")),
)
AREA_CHOICES = [(key, label) for key, label in AREAS]
# Plain names in both languages, for bilingual error messages (labels follow the UI language).
AREA_TEXT: dict[str, tuple[str, str]] = {
    "governance": ("内部治理", "Internal governance"), "team": ("团队管理", "Team management"),
    "finance": ("财务管理", "Financial management"), "projects": ("项目管理", "Project management"),
    "brand": ("品牌建设", "Brand building"), "outreach": ("服务推广", "Service promotion"),
    "expertise": ("专业技术", "Professional skills"),
}
AREA_KEYS = tuple(key for key, _label in AREAS)


def _score(label: Any) -> models.DecimalField:
    return models.DecimalField(label, max_digits=4, decimal_places=1)


class CapacityAssessment(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    org = models.ForeignKey("orgs.SocialOrganization", on_delete=models.CASCADE,
                            related_name="assessments")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(_("assessor"), max_length=100)
    evidence = models.TextField(_("evidence"), blank=True)
    governance = _score(AREAS[0][1])
    team = _score(AREAS[1][1])
    finance = _score(AREAS[2][1])
    projects = _score(AREAS[3][1])
    brand = _score(AREAS[4][1])
    outreach = _score(AREAS[5][1])
    expertise = _score(AREAS[6][1])
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("capacity assessment")
        verbose_name_plural = _("capacity assessments")
        ordering = ["org", "assessed_on", "id"]
        indexes = [models.Index(fields=["org", "assessed_on"], name="assessment_org_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(**{f"{k}__gte": 0 for k in AREA_KEYS})
                & models.Q(**{f"{k}__lte": 100 for k in AREA_KEYS}),
                name="assessment_scores_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.assessed_on} {self.average}"

    def scores(self) -> dict[str, Decimal]:
        return {key: getattr(self, key) for key in AREA_KEYS}

    @property
    def average(self) -> Decimal:
        values = list(self.scores().values())
        return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.1"))

    def weakest(self) -> str:
        scores = self.scores()
        return min(AREA_KEYS, key=lambda k: (scores[k], AREA_KEYS.index(k)))
