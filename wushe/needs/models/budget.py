"""自治金: a community's self-governance budget per year (drawn on its community fund), the
residents' support for ideas (one per confirmed phone), paper support recorded by staff, and
the allocation an adopted idea receives (a disbursement request on the community fund)."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import EncryptedTextField
from wushe.core.scoping import ScopedManager

# A support code is valid this long; at most SUPPORT_CODES_MAX codes per phone and idea, one a
# minute; SUPPORT_TRIES_MAX wrong codes lock that phone out of that idea.
SUPPORT_CODE_VALID_SECONDS = 600
SUPPORT_CODE_RESEND_SECONDS = 60
SUPPORT_CODES_MAX = 3
SUPPORT_TRIES_MAX = 5


class IdeaBudget(models.Model):
    """How much of a community fund goes to 自治金 ideas in a year (set by street staff)."""

    scope_path_field: ClassVar[str] = "region_path"

    region = models.ForeignKey("regions.Region", verbose_name=_("community"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False, db_index=True)
    year = models.PositiveSmallIntegerField(_("year"))
    fund = models.ForeignKey("charity.Fund", verbose_name=_("community fund"),
                             on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("budget (yuan)"), max_digits=12, decimal_places=2)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    set_at = models.DateTimeField(_("set at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("self-governance budget")
        verbose_name_plural = _("self-governance budgets")
        ordering = ["-year", "region_path"]
        constraints = [models.UniqueConstraint(fields=["region", "year"],
                                               name="idea_budget_one_per_year")]

    def __str__(self) -> str:
        return f"{self.year} · {self.amount}"


class IdeaSupport(models.Model):
    """One resident's support for one idea, counted once the phone is proven by a code.

    The phone is kept encrypted only until the code comes back (the SMS is sent from it), then
    blanked; the blind index alone makes "one support per phone" hold."""

    idea = models.ForeignKey("needs.Idea", on_delete=models.CASCADE, related_name="supports")
    phone_bidx = models.CharField(max_length=64, editable=False)
    phone = EncryptedTextField(blank=True, default="", editable=False)
    token = models.CharField(max_length=32, unique=True, editable=False)
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_sent_at = models.DateTimeField(_("code sent at"), null=True, blank=True)
    sends = models.PositiveSmallIntegerField(_("codes sent"), default=0)
    tries = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("resident support")
        verbose_name_plural = _("resident supports")
        constraints = [models.UniqueConstraint(fields=["idea", "phone_bidx"],
                                               name="idea_support_one_per_phone")]
        indexes = [models.Index(fields=["phone_bidx", "code_sent_at"],
                                name="idea_support_phone_day")]

    def __str__(self) -> str:
        return f"support of idea {self.idea_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def locked(self) -> bool:
        return not self.confirmed and self.tries >= SUPPORT_TRIES_MAX

    def expired(self) -> bool:
        if self.code_sent_at is None:
            return True
        return (timezone.now() - self.code_sent_at).total_seconds() > SUPPORT_CODE_VALID_SECONDS


class IdeaPaperSupport(models.Model):
    """Support collected on paper (a signature sheet at a residents' meeting), counted apart."""

    scope_path_field: ClassVar[str] = "region_path"

    idea = models.ForeignKey("needs.Idea", on_delete=models.CASCADE,
                             related_name="paper_supports")
    region_path = models.CharField(max_length=15, editable=False)
    count = models.PositiveIntegerField(_("signatures"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("paper support")
        verbose_name_plural = _("paper supports")
        ordering = ["idea_id", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.count} · {self.recorded_at:%Y-%m-%d}"


class IdeaAllocation(models.Model):
    """The 自治金 an adopted idea receives: a disbursement request on the community fund. The
    idea's money state is the disbursement's (requested → approved → paid)."""

    scope_path_field: ClassVar[str] = "region_path"

    idea = models.OneToOneField("needs.Idea", on_delete=models.PROTECT,
                                related_name="allocation")
    budget = models.ForeignKey(IdeaBudget, verbose_name=_("budget"), on_delete=models.PROTECT,
                               related_name="allocations")
    disbursement = models.OneToOneField("charity.Disbursement", on_delete=models.PROTECT,
                                        related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=12, decimal_places=2,
                                 default=Decimal("0"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(_("allocated at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("self-governance allocation")
        verbose_name_plural = _("self-governance allocations")

    def __str__(self) -> str:
        return f"{self.amount}"
