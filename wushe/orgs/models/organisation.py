"""Social organisations: registered (统一社会信用代码) or filed community organisations (备案).

A registered organisation has legal personality and a credit code; a filed community
organisation (社区社会组织备案) has none: the supervising street or community keeps its filing
(person in charge, venue, charter, member roster, funds, activity area) under a 备案号 the
platform issues. ``status`` moves only along orgs/workflow.py; every move is a StatusChange.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import EncryptedTextField
from wushe.core.masking import mask_name, mask_phone
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.people.names import EncryptedNameField


class Category(models.TextChoices):
    PUBLIC_SERVICE = "public_service", _("Public service (公益服务类)")
    GOVERNANCE = "governance", _("Governance participation (参与治理类)")
    HUB = "hub", _("Hub support (枢纽支持类)")
    SOCIAL_WORK = "social_work", _("Social work (社会工作类)")


class OrgStatus(models.TextChoices):
    INCUBATING = "incubating", _("Incubating")
    FILED = "filed", _("Filed")
    REGISTERED = "registered", _("Registered")
    SUSPENDED = "suspended", _("Suspended")
    ELIMINATED = "eliminated", _("Eliminated")


class LegalForm(models.TextChoices):
    SOCIAL_GROUP = "social_group", _("Social group (社会团体)")
    SOCIAL_SERVICE = "social_service", _("Social service agency (社会服务机构)")
    FOUNDATION = "foundation", _("Foundation (基金会)")


class SocialOrganization(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    name = models.CharField(_("name"), max_length=200)
    # For a filed organisation: the supervising street or community (业务指导单位).
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices,
                                blank=True)
    status = models.CharField(_("status"), max_length=12, choices=OrgStatus.choices,
                              default=OrgStatus.INCUBATING)
    # NULL, not "": many organisations have none and NULLs never collide in a unique index.
    credit_code = models.CharField(_("unified social credit code"), max_length=18,  # noqa: DJ001
                                   null=True, blank=True, unique=True)
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices,
                                  blank=True)
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    filing_number = models.CharField(_("filing number"), max_length=40, null=True,  # noqa: DJ001
                                     blank=True, unique=True, editable=False)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    person_in_charge = EncryptedNameField(_("person in charge"), blank=True)  # at rest (#22)
    contact_phone = EncryptedTextField(_("contact phone"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    charter = models.TextField(_("charter"), blank=True)
    activity_area = models.CharField(_("activity area"), max_length=200, blank=True)
    funds = models.DecimalField(_("funds (yuan)"), null=True, blank=True, max_digits=14,
                                decimal_places=2)
    funds_source = models.CharField(_("source of funds"), max_length=200, blank=True)
    summary = models.TextField(_("services offered"), blank=True)
    # Residents taking part (a community organisation's 吸纳群众), as last reported.
    participants = models.PositiveIntegerField(_("residents taking part"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("social organisation")
        verbose_name_plural = _("social organisations")
        ordering = ["region_path", "id"]
        indexes = [
            models.Index(fields=["region_path", "id"], name="org_path_id"),
            models.Index(fields=["status", "region_path"], name="org_status_path"),
            models.Index(fields=["category", "region_path"], name="org_category_path"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_registered(self) -> bool:
        """Holds legal personality: a credit code has been recorded."""
        return bool(self.credit_code)

    @property
    def masked_person_in_charge(self) -> str:
        return mask_name(self.person_in_charge)

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)


class StatusChange(models.Model):
    """One move of an organisation's status; never edited (the workflow writes them)."""

    scope_path_field: ClassVar[str] = "region_path"

    org = models.ForeignKey(SocialOrganization, on_delete=models.CASCADE,
                            related_name="status_changes")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    from_status = models.CharField(_("from"), max_length=12, choices=OrgStatus.choices,
                                   blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=OrgStatus.choices)
    on = models.DateField(_("effective on"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           related_name="+")
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["org", "on", "id"]

    def __str__(self) -> str:
        return f"{self.from_status or '—'} → {self.to_status} ({self.on})"


class Rating(models.Model):
    """An evaluation grade (1A–5A). Current while ``awarded_on <= today <= valid_until``; a new
    rating, a suspension or an elimination ends the current one early (``ended_reason``)."""

    scope_path_field: ClassVar[str] = "region_path"

    org = models.ForeignKey(SocialOrganization, on_delete=models.CASCADE, related_name="ratings")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    grade = models.PositiveSmallIntegerField(_("grade"))  # 1..5 = 1A..5A
    score = models.DecimalField(_("evaluation score"), max_digits=6, decimal_places=1)
    awarded_on = models.DateField(_("awarded on"))
    valid_until = models.DateField(_("valid until"))
    ended_reason = models.CharField(_("ended early because"), max_length=20, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                           related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        ordering = ["org", "-awarded_on", "-id"]
        indexes = [models.Index(fields=["valid_until", "region_path"], name="rating_valid_path")]
        constraints = [
            models.CheckConstraint(condition=models.Q(grade__gte=1, grade__lte=5),
                                   name="rating_grade_1_5"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.awarded_on}–{self.valid_until})"

    @property
    def label(self) -> str:
        return f"{self.grade}A"

    def is_current(self, on: dt.date | None = None) -> bool:
        day = on or dt.date.today()
        return self.awarded_on <= day <= self.valid_until


class BrandProject(TimeStampedModel):
    """A named service project the organisation is known for (品牌项目)."""

    scope_path_field: ClassVar[str] = "region_path"

    org = models.ForeignKey(SocialOrganization, on_delete=models.CASCADE,
                            related_name="brand_projects")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=100)
    summary = models.TextField(_("summary"), blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    beneficiaries = models.PositiveIntegerField(_("people served"), default=0)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("brand project")
        verbose_name_plural = _("brand projects")
        ordering = ["org", "name"]

    def __str__(self) -> str:
        return self.name


class OrgMember(TimeStampedModel):
    """The member roster of a filing: names are shown masked."""

    scope_path_field: ClassVar[str] = "region_path"

    org = models.ForeignKey(SocialOrganization, on_delete=models.CASCADE, related_name="members")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    name = EncryptedNameField(_("name"))  # encrypted at rest (#22); no lookup by it
    post = models.CharField(_("post"), max_length=30, blank=True)
    joined_on = models.DateField(_("joined on"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["org", "id"]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)


class OrgHonour(models.Model):
    """A distinction such as 优质社会组织 from the four-party evaluation."""

    scope_path_field: ClassVar[str] = "region_path"

    org = models.ForeignKey(SocialOrganization, on_delete=models.CASCADE, related_name="honours")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    year = models.PositiveSmallIntegerField(_("year"))
    awarded_by = models.CharField(_("awarded by"), max_length=100, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ["org", "-year"]
        constraints = [models.UniqueConstraint(fields=["org", "title", "year"],
                                               name="honour_unique")]

    def __str__(self) -> str:
        return f"{self.year} {self.title}"
