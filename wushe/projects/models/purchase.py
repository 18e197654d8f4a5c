"""Purchase of services: the yearly purchase list (项目购买清单), the recorded selection of a
provider, the contract with its payment tranches, and the payments made against them."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.projects.models.project import ServiceProject


class ListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Made public")


class PurchaseList(TimeStampedModel):
    """A district's batch of projects to purchase in one year; public once published."""

    scope_path_field: ClassVar[str] = "region_path"

    region = models.ForeignKey("regions.Region", verbose_name=_("district"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(_("batch"), max_length=100)
    status = models.CharField(_("status"), max_length=10, choices=ListStatus.choices,
                              default=ListStatus.DRAFT)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("purchase list")
        verbose_name_plural = _("purchase lists")
        ordering = ["-year", "region_path", "id"]
        indexes = [models.Index(fields=["region_path", "year"], name="plist_path_year")]
        constraints = [models.UniqueConstraint(fields=["region", "year", "name"],
                                               name="plist_unique_batch")]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class Method(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("Public tender (公开招标)")
    INVITED_TENDER = "invited_tender", _("Invited tender (邀请招标)")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("Competitive negotiation (竞争性谈判)")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("Competitive consultation (竞争性磋商)")
    SINGLE_SOURCE = "single_source", _("Single source (单一来源)")
    INQUIRY = "inquiry", _("Request for quotations (询价)")


class Procurement(TimeStampedModel):
    """The recorded selection: how the provider was chosen, among whom, and why."""

    scope_path_field: ClassVar[str] = "region_path"

    project = models.OneToOneField(ServiceProject, on_delete=models.PROTECT,
                                   related_name="procurement")
    region_path = models.CharField(max_length=15, editable=False)
    method = models.CharField(_("procurement method"), max_length=30, choices=Method.choices)
    # [{"id": 3, "name": "…"}]: the names as they were when considered.
    candidates = models.JSONField(_("candidates considered"), default=list)
    selected = models.ForeignKey("orgs.SocialOrganization", verbose_name=_("selected provider"),
                                 on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason for the selection"), max_length=500)
    decided_on = models.DateField(_("decided on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("procurement")
        verbose_name_plural = _("procurements")

    def __str__(self) -> str:
        return f"{self.project_id} {self.method}"


class Contract(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    project = models.OneToOneField(ServiceProject, on_delete=models.PROTECT,
                                   related_name="contract")
    region_path = models.CharField(max_length=15, editable=False)
    provider = models.ForeignKey("orgs.SocialOrganization", verbose_name=_("delivering organisation"),
                                 on_delete=models.PROTECT, related_name="service_contracts")
    amount = models.DecimalField(_("contract amount (yuan)"), max_digits=14, decimal_places=2)
    over_budget_reason = models.CharField(_("reason for exceeding the budget"), max_length=300,
                                          blank=True)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    # 稳定项目: a stable, recurring service may be contracted for a longer term.
    stable = models.BooleanField(_("stable project"), default=False)
    signed_on = models.DateField(_("signed on"))
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        indexes = [models.Index(fields=["region_path", "signed_on"], name="contract_path_signed")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="contract_amount_pos"),
            models.CheckConstraint(condition=models.Q(end__gte=models.F("start")),
                                   name="contract_end_after_start"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.amount}"


class Gate(models.TextChoices):
    NONE = "", _("On signing")
    MIDTERM = "midterm", _("After the mid-term evaluation")
    FINAL = "final", _("After the final evaluation")


class ContractTranche(models.Model):
    """One instalment of the contract amount, paid only once its gate stage has passed."""

    scope_path_field: ClassVar[str] = "region_path"

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="tranches")
    region_path = models.CharField(max_length=15, editable=False)
    seq = models.PositiveSmallIntegerField(_("tranche"))
    percent = models.DecimalField(_("percent"), max_digits=5, decimal_places=2)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    gate = models.CharField(_("paid after"), max_length=10, choices=Gate.choices, blank=True,
                            default="")
    paid = models.DecimalField(_("paid (yuan)"), max_digits=14, decimal_places=2,
                               default=Decimal(0))

    objects = ScopedManager()

    class Meta:
        verbose_name = _("payment tranche")
        verbose_name_plural = _("payment tranches")
        ordering = ["contract", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "seq"], name="tranche_seq_once"),
            models.CheckConstraint(condition=models.Q(paid__lte=models.F("amount")),
                                   name="tranche_paid_lte_amount"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.percent}%"

    @property
    def remaining(self) -> Decimal:
        return self.amount - self.paid


class Payment(models.Model):
    scope_path_field: ClassVar[str] = "region_path"

    tranche = models.ForeignKey(ContractTranche, on_delete=models.PROTECT,
                                related_name="payments")
    project = models.ForeignKey(ServiceProject, on_delete=models.PROTECT,
                                related_name="payments")
    region_path = models.CharField(max_length=15, editable=False)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("voucher number"), max_length=60, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["project", "paid_on", "id"]
        indexes = [models.Index(fields=["region_path", "paid_on"], name="payment_path_on")]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0),
                                              name="payment_amount_pos")]

    def __str__(self) -> str:
        return f"{self.amount} ({self.paid_on})"
