"""The ledger: balanced double-entry postings in append-only, hash-chained entries.

Every money movement of every fund is one ``LedgerEntry`` with two or more ``LedgerPosting``
lines whose debits equal their credits. Entries form one chain: each carries the hash of the
entry before it and the SHA-256 of its own canonical content (see charity/chain.py), so any
change to a stored row shows up in ``wushe ledger verify``. The ORM refuses updates and deletes
of entries and postings, and database triggers (migration 0002) refuse them to raw SQL too.

``LedgerAccount.balance`` is a cache (debits minus credits) kept in the same transaction as
the postings; verify recomputes it from the postings. ``LedgerHead`` is the tip of the chain,
the row every writer locks to append.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.audit.models import AppendOnlyModel
from wushe.core.scoping import ScopedManager

GENESIS_HASH = "0" * 64


class AccountCode(models.TextChoices):
    CASH = "cash", _("Cash and bank")
    GOODS = "goods", _("Donated goods")
    INCOME = "income", _("Donation income")
    CHARITABLE = "charitable", _("Charitable spending")
    MANAGEMENT = "management", _("Management costs")


# Accounts whose balance is normally a debit (assets, expenses); income is a credit.
DEBIT_NORMAL = frozenset({AccountCode.CASH, AccountCode.GOODS, AccountCode.CHARITABLE,
                          AccountCode.MANAGEMENT})


class LedgerAccount(models.Model):
    scope_path_field: ClassVar[str] = "region_path"

    fund = models.ForeignKey("charity.Fund", on_delete=models.PROTECT, related_name="accounts")
    code = models.CharField(_("account"), max_length=12, choices=AccountCode.choices)
    # Cached: debits minus credits of every posting to this account.
    balance = models.DecimalField(_("balance"), max_digits=16, decimal_places=2, default=0)
    region_path = models.CharField(max_length=15, db_index=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        constraints = [models.UniqueConstraint(fields=["fund", "code"], name="account_unique")]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.code}"

    @property
    def natural_balance(self) -> object:
        """The balance with the sign an accountant reads: income as a positive credit."""
        return self.balance if self.code in DEBIT_NORMAL else -self.balance


class EntryKind(models.TextChoices):
    DONATION = "donation", _("Donation received")
    DISBURSEMENT = "disbursement", _("Disbursement paid")
    REVERSAL = "reversal", _("Reversal")


class LedgerEntry(AppendOnlyModel):
    scope_path_field: ClassVar[str] = "region_path"

    # The position in the chain is the key: gap-free, assigned under the head's lock.
    seq = models.BigIntegerField(_("entry number"), primary_key=True)
    fund = models.ForeignKey("charity.Fund", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=14, choices=EntryKind.choices)
    occurred_at = models.DateTimeField(_("time"))
    # What the entry records, e.g. "donation:12"; inside the hash, so it cannot be re-pointed.
    ref = models.CharField(_("reference"), max_length=40)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    reverses = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="reversed_by")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING,
                              db_constraint=False, null=True, blank=True, related_name="+")
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    region_path = models.CharField(max_length=15, db_index=True, editable=False)

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["-seq"]
        indexes = [models.Index(fields=["fund", "occurred_at"], name="entry_fund_time")]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind} {self.ref}"


class LedgerPosting(AppendOnlyModel):
    scope_path_field: ClassVar[str] = "region_path"

    entry = models.ForeignKey(LedgerEntry, on_delete=models.PROTECT, related_name="postings")
    account = models.ForeignKey(LedgerAccount, on_delete=models.PROTECT, related_name="postings")
    debit = models.DecimalField(_("debit"), max_digits=14, decimal_places=2, default=0)
    credit = models.DecimalField(_("credit"), max_digits=14, decimal_places=2, default=0)
    region_path = models.CharField(max_length=15, editable=False)

    class Meta:
        verbose_name = _("ledger posting")
        verbose_name_plural = _("ledger postings")
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0)),
                name="posting_one_side"),
        ]

    def __str__(self) -> str:
        return f"#{self.entry_id} {self.account_id} {self.debit}/{self.credit}"


class LedgerHead(models.Model):
    """The tip of the chain (one row). Appending locks it: one writer extends the chain at a
    time, and the next entry's number and previous hash come from here."""

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("ledger head")
        verbose_name_plural = _("ledger head")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"
