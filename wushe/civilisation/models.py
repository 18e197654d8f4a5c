"""新时代文明实践: the centre (district) → 所 (street) → 站 (community) under 书记负责制, the ten
practice domains of the seed text as activity categories, and unit-to-community 结对共建.

Every row carries ``region_path`` (see regions.models) so scope is one filter. A site's
accountable leader (书记) is stored like an organisation's person in charge: a name, shown
masked on lists. "三块牌子、一套人马": a practice site links the regions.Site rows that are the
same place under other names (党群服务中心, 社工室).
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.masking import mask_name
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.people.names import EncryptedNameField


class PracticeLevel(models.TextChoices):
    CENTRE = "centre", _("Practice centre (新时代文明实践中心)")
    INSTITUTE = "institute", _("Practice institute (新时代文明实践所)")
    STATION = "station", _("Practice station (新时代文明实践站)")


# The region level each practice level belongs at, and the level of its parent.
LEVEL_REGION = {PracticeLevel.CENTRE: "district", PracticeLevel.INSTITUTE: "street",
                PracticeLevel.STATION: "community"}
PARENT_LEVEL = {PracticeLevel.INSTITUTE: PracticeLevel.CENTRE,
                PracticeLevel.STATION: PracticeLevel.INSTITUTE}


class Domain(models.TextChoices):
    """The ten practice domains of the seed text (结对共建文明实践活动)."""

    LECTURES = "lectures", _("Grassroots lectures (基层巡讲)")
    EPIDEMIC = "epidemic", _("Epidemic prevention (疫情防控)")
    EMPLOYMENT = "employment", _("Employment guidance (就业指导)")
    EDUCATION = "education", _("Education and training (教育培训)")
    INDUSTRY = "industry", _("Industry support (产业扶持)")
    CUSTOMS = "customs", _("Changing customs (移风易俗)")
    HEALTH = "health", _("Healthy living (健康生活)")
    CULTURE = "culture", _("Culture for the people (文化惠民)")
    GOVERNANCE = "governance", _("Social governance (社会治理)")
    CLEAN = "clean", _("Clean homes (洁净家园)")


class PracticeSite(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    level = models.CharField(_("level"), max_length=12, choices=PracticeLevel.choices)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    parent = models.ForeignKey("self", verbose_name=_("parent site"), on_delete=models.PROTECT,
                               null=True, blank=True, related_name="children")
    leader_name = EncryptedNameField(_("accountable leader (书记)"))  # at rest (#22)
    leader_post = models.CharField(_("leader's post"), max_length=60, blank=True)
    other_names = models.ManyToManyField("regions.Site", verbose_name=_("other names (same place)"),
                                         blank=True, related_name="+")
    teams = models.ManyToManyField("volunteers.Team", verbose_name=_("volunteer teams"),
                                   blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("civilisation practice site")
        verbose_name_plural = _("civilisation practice sites")
        ordering = ["region_path", "id"]
        constraints = [models.UniqueConstraint(fields=["region"], name="practice_site_one_per_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def masked_leader(self) -> str:
        return mask_name(self.leader_name)


class PartnerKind(models.TextChoices):
    ORGANISATION = "organisation", _("Social organisation")
    ENTERPRISE = "enterprise", _("Enterprise")
    DEPARTMENT = "department", _("Government department")


class Pairing(TimeStampedModel):
    """A unit paired with a community for 结对共建."""

    scope_path_field: ClassVar[str] = "region_path"

    community = models.ForeignKey("regions.Region", verbose_name=_("community"),
                                  on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    partner_kind = models.CharField(_("partner kind"), max_length=14, choices=PartnerKind.choices)
    partner_name = models.CharField(_("partner"), max_length=100)
    organisation = models.ForeignKey("orgs.SocialOrganization", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("pairing (结对共建)")
        verbose_name_plural = _("pairings (结对共建)")
        ordering = ["region_path", "-starts_on", "id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
            name="pairing_ends_after_start")]

    def __str__(self) -> str:
        return self.partner_name


class ActivityDomain(TimeStampedModel):
    """The practice domain of one volunteer activity (set by staff), and its pairing if the
    activity was done together with a paired unit."""

    scope_path_field: ClassVar[str] = "region_path"

    activity = models.OneToOneField("volunteers.Activity", verbose_name=_("activity"),
                                    on_delete=models.CASCADE, primary_key=True,
                                    related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    starts_at = models.DateTimeField(_("starts at"), db_index=True, editable=False)
    domain = models.CharField(_("practice domain"), max_length=12, choices=Domain.choices)
    pairing = models.ForeignKey(Pairing, verbose_name=_("pairing"), on_delete=models.SET_NULL,
                                null=True, blank=True, related_name="activities")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("activity practice domain")
        verbose_name_plural = _("activity practice domains")
        indexes = [models.Index(fields=["region_path", "domain"], name="actdomain_path_domain")]

    def __str__(self) -> str:
        return self.get_domain_display()
