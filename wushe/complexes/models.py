"""社区综合体 operations ("政务+商业+公益"): a complex (a Site of the complex kind in its community)
run by a social or caring enterprise, its service lines, and the operator's quarterly revenue
reports; the street's approval of a profitable report sends the complex's share of the profit
to the community fund as a donation on the charity ledger (收益反哺社区)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class OperatorKind(models.TextChoices):
    SOCIAL_ENTERPRISE = "social_enterprise", _("Social enterprise (社会企业)")
    CARING_ENTERPRISE = "caring_enterprise", _("Caring enterprise (爱心企业)")


class Complex(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    site = models.OneToOneField("regions.Site", verbose_name=_("site"), on_delete=models.PROTECT,
                                related_name="complex")
    community = models.ForeignKey("regions.Region", verbose_name=_("community"),
                                  on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    brand = models.CharField(_("brand"), max_length=60, blank=True)
    operator_name = models.CharField(_("operator"), max_length=200)
    operator_kind = models.CharField(_("operator kind"), max_length=20,
                                     choices=OperatorKind.choices)
    operator_org = models.ForeignKey("orgs.SocialOrganization", verbose_name=_("operator organisation"),
                                     on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    operator_donor = models.ForeignKey("charity.Donor", verbose_name=_("operator donor record"),
                                       on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+")
    fund = models.ForeignKey("charity.Fund", verbose_name=_("community fund"),
                             on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    share_percent = models.DecimalField(_("reinvested share (%)"), max_digits=5, decimal_places=2,
                                        null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("community complex")
        verbose_name_plural = _("community complexes")
        ordering = ["region_path", "id"]

    def __str__(self) -> str:
        return self.site.name


class LineKind(models.TextChoices):
    GOVERNMENT = "government", _("Government services (政务)")
    COMMERCIAL = "commercial", _("Commercial services (商业)")
    WELFARE = "welfare", _("Public-welfare services (公益)")


class ServiceLine(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    complex = models.ForeignKey(Complex, verbose_name=_("community complex"),
                                on_delete=models.CASCADE, related_name="lines")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=LineKind.choices)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=500, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("service line")
        verbose_name_plural = _("service lines")
        ordering = ["complex", "kind", "id"]

    def __str__(self) -> str:
        return self.name


class ReportStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class RevenueReport(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    complex = models.ForeignKey(Complex, verbose_name=_("community complex"),
                                on_delete=models.PROTECT, related_name="reports")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    revenue = models.DecimalField(_("revenue (yuan)"), max_digits=14, decimal_places=2)
    costs = models.DecimalField(_("costs (yuan)"), max_digits=14, decimal_places=2)
    profit = models.DecimalField(_("profit (yuan)"), max_digits=14, decimal_places=2)
    status = models.CharField(_("status"), max_length=10, choices=ReportStatus.choices,
                              default=ReportStatus.SUBMITTED)
    share_percent = models.DecimalField(_("reinvested share (%)"), max_digits=5, decimal_places=2,
                                        null=True, blank=True)
    reinvested = models.DecimalField(_("reinvested in the community fund (yuan)"), max_digits=14,
                                     decimal_places=2, default=0)
    donation = models.OneToOneField("charity.Donation", verbose_name=_("donation"),
                                    on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="complex_report")
    reject_reason = models.CharField(_("reason for rejection"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("revenue report")
        verbose_name_plural = _("revenue reports")
        ordering = ["complex", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["complex", "year", "quarter"],
                                    name="complex_report_period"),
            models.CheckConstraint(condition=Q(quarter__gte=1) & Q(quarter__lte=4),
                                   name="complex_report_quarter"),
            models.CheckConstraint(condition=Q(reinvested__gte=0),
                                   name="complex_report_reinvested_nonneg"),
        ]

    def __str__(self) -> str:
        return f"{self.year}Q{self.quarter}"
