"""Online public fundraising campaigns (上线筹款) run on a platform designated by the Ministry of
Civil Affairs (腾讯公益, 支付宝公益, 水滴公益 …), not on wushe. The platform's statements are
imported: each platform transaction becomes at most one donation on the ledger."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.people.names import EncryptedNameField


class Campaign(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    fund = models.ForeignKey("charity.Fund", verbose_name=_("fund"), on_delete=models.PROTECT,
                             related_name="campaigns")
    title = models.CharField(_("title"), max_length=120)
    # A code of settings.WUSHE_CHARITY_ONLINE_PLATFORMS (the designated platforms, a local rule).
    platform = models.CharField(_("platform"), max_length=20)
    platform_ref = models.CharField(_("platform's campaign number"), max_length=50)
    target_group = models.CharField(_("beneficiary group"), max_length=12)
    target = models.DecimalField(_("target (yuan)"), max_digits=14, decimal_places=2)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    public_url = models.URLField(_("public page on the platform"), max_length=300)
    # What the platform's back office reports as raised, entered by staff to reconcile.
    reported_total = models.DecimalField(_("total reported by the platform (yuan)"), null=True,
                                         blank=True, max_digits=14, decimal_places=2)
    donor = models.ForeignKey("charity.Donor", verbose_name=_("donor record of the platform's donors"),
                              on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("online fundraising campaign")
        verbose_name_plural = _("online fundraising campaigns")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["platform", "platform_ref"], name="campaign_platform_ref"),
            models.CheckConstraint(condition=Q(target__gt=0), name="campaign_target_positive"),
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")),
                                   name="campaign_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class CampaignTransaction(models.Model):
    """One platform transaction, reconciled into one donation (never two: the id is unique)."""

    scope_path_field: ClassVar[str] = "region_path"

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="transactions")
    txn_id = models.CharField(_("platform transaction id"), max_length=50)
    occurred_at = models.DateTimeField(_("time"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    # Often a person's own name: encrypted at rest (#22).
    display_name = EncryptedNameField(_("donor's display name"), blank=True)
    named = models.BooleanField(_("donor agrees to be named"), default=False)
    donation = models.OneToOneField("charity.Donation", on_delete=models.PROTECT,
                                    related_name="campaign_transaction")
    region_path = models.CharField(max_length=15, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("platform transaction")
        verbose_name_plural = _("platform transactions")
        ordering = ["-occurred_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "txn_id"], name="campaign_txn_unique"),
        ]

    def __str__(self) -> str:
        return self.txn_id

    @property
    def public_name(self) -> str:
        return self.display_name if self.named and self.display_name else str(_("Caring individual"))


class StatementImport(models.Model):
    """One imported statement: its totals and the transactions refused, for reconciliation."""

    scope_path_field: ClassVar[str] = "region_path"

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), on_delete=models.PROTECT,
                                 related_name="imports")
    imported_at = models.DateTimeField(_("imported at"), auto_now_add=True)
    rows = models.PositiveIntegerField(_("rows"), default=0)
    added = models.PositiveIntegerField(_("transactions added"), default=0)
    already = models.PositiveIntegerField(_("already imported"), default=0)
    statement_total = models.DecimalField(_("statement total (yuan)"), max_digits=16,
                                          decimal_places=2, default=0)
    # [{"row", "txn_id", "amount", "reason", "zh", "en"}]: duplicates, negative, out of dates.
    refused = models.JSONField(_("refused transactions"), default=list, blank=True)
    region_path = models.CharField(max_length=15, editable=False)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("statement import")
        verbose_name_plural = _("statement imports")
        ordering = ["-imported_at", "-id"]

    def __str__(self) -> str:
        return f"{self.campaign_id}@{self.imported_at:%Y-%m-%d}"
