"""Donations (cash or in kind, with a valuation) and their receipts (公益事业捐赠票据)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.people.names import EncryptedNameField


class DonationKind(models.TextChoices):
    CASH = "cash", _("Cash")
    IN_KIND = "in_kind", _("In kind")


class DonationChannel(models.TextChoices):
    BANK = "bank", _("Bank transfer")
    ONLINE = "online", _("Online fundraising platform")
    CASH = "cash", _("Cash at the counter")
    GOODS = "goods", _("Goods delivered")
    OTHER = "other", _("Other")


class DonationStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    REVERSED = "reversed", _("Reversed")


class Donation(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    fund = models.ForeignKey("charity.Fund", verbose_name=_("fund"), on_delete=models.PROTECT,
                             related_name="donations")
    donor = models.ForeignKey("charity.Donor", verbose_name=_("donor"),
                              on_delete=models.PROTECT, related_name="donations")
    kind = models.CharField(_("kind"), max_length=10, choices=DonationKind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=DonationChannel.choices)
    # Cash: the amount received. In kind: the valuation of the goods (its basis below).
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    goods_description = models.CharField(_("goods"), max_length=200, blank=True)
    goods_quantity = models.CharField(_("quantity"), max_length=60, blank=True)
    valuation_basis = models.CharField(_("valuation basis"), max_length=100, blank=True)
    received_on = models.DateField(_("received on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    # A retried request with the same key returns the first donation instead of a second one.
    idempotency_key = models.CharField(_("idempotency key"), max_length=64, unique=True)
    # SHA-256 of the request's content (canonical JSON): the same key with other content is
    # refused (409 idempotency_conflict), never answered with the first donation.
    idempotency_body = models.CharField(max_length=64, blank=True, default="", editable=False)
    status = models.CharField(_("status"), max_length=10, choices=DonationStatus.choices,
                              default=DonationStatus.RECEIVED)
    # Set in the same transaction, right after the row exists (the entry's reference names it).
    entry = models.OneToOneField("charity.LedgerEntry", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="donation")
    reversal_entry = models.OneToOneField("charity.LedgerEntry", on_delete=models.PROTECT,
                                          null=True, blank=True, related_name="reversed_donation")
    reverse_reason = models.CharField(_("reason for reversal"), max_length=200, blank=True)
    region_path = models.CharField(max_length=15, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="donation_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["region_path", "received_on"], name="donation_path_date"),
            models.Index(fields=["fund", "status"], name="donation_fund_status"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.amount}"


class ReceiptCounter(models.Model):
    """The last receipt number issued in a year; locked by every issue, so numbers are
    sequential and never handed out twice."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("receipt counter")
        verbose_name_plural = _("receipt counters")

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"


class ReceiptStatus(models.TextChoices):
    ISSUED = "issued", _("Issued")
    VOID = "void", _("Void")


class Receipt(models.Model):
    """The fields of a 公益事业捐赠票据, frozen at issue: later renames never change it.
    A void receipt keeps its number; the number is never issued again."""

    scope_path_field: ClassVar[str] = "region_path"

    donation = models.OneToOneField(Donation, on_delete=models.PROTECT, related_name="receipt")
    year = models.PositiveSmallIntegerField(_("year"))
    seq = models.PositiveIntegerField(_("sequence"))
    number = models.CharField(_("receipt number"), max_length=20, unique=True)
    issued_at = models.DateTimeField(_("issued at"))
    donor_name = EncryptedNameField(_("donor"))  # encrypted at rest (#22)
    donor_code = models.CharField(_("donor's credit code"), max_length=18, blank=True)
    item = models.CharField(_("donation item"), max_length=200)
    kind = models.CharField(_("kind"), max_length=10, choices=DonationKind.choices)
    quantity = models.CharField(_("quantity"), max_length=60, blank=True)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    amount_in_words = models.CharField(_("amount in words"), max_length=80)
    recipient = models.CharField(_("receiving organisation"), max_length=200)
    issuer = models.CharField(_("issued by"), max_length=150)
    status = models.CharField(_("status"), max_length=8, choices=ReceiptStatus.choices,
                              default=ReceiptStatus.ISSUED)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    region_path = models.CharField(max_length=15, db_index=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("donation receipt")
        verbose_name_plural = _("donation receipts")
        constraints = [models.UniqueConstraint(fields=["year", "seq"], name="receipt_year_seq")]

    def __str__(self) -> str:
        return self.number
