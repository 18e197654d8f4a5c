"""Disbursements: request → approval by the fund's managers → paid; reversed, never deleted."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class DisbursementCategory(models.TextChoices):
    CHARITABLE = "charitable", _("Charitable spending")
    MANAGEMENT = "management", _("Management costs")


class DisbursementSource(models.TextChoices):
    CASH = "cash", _("Money")
    GOODS = "goods", _("Donated goods")


class BeneficiaryKind(models.TextChoices):
    PERSON = "person", _("A person in care")
    NEED = "need", _("A resident's need")
    PROJECT = "project", _("A project")
    NONE = "none", _("No beneficiary (management cost)")


class DisbursementAim(models.TextChoices):
    """What a charitable payment does, as the seed text counts it (救助困难群众, 慰问困境儿童,
    免费门诊 of the special funds; 社会工作服务 of the community funds)."""

    RELIEF = "relief", _("Relief for people in hardship")
    CHILDREN_VISIT = "children", _("Visit to children in difficulty")
    CLINIC = "clinic", _("Free clinic visit")
    SOCIAL_WORK = "social_work", _("Social-work service")
    OTHER = "other", _("Other")


class DisbursementStatus(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("disbursement", "Awaiting approval")
    APPROVED = "approved", _("Approved, awaiting payment")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")
    REVERSED = "reversed", _("Reversed")


# Approved-but-unpaid money is committed: it counts against the available balance.
COMMITTED = (DisbursementStatus.APPROVED,)


class Disbursement(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    fund = models.ForeignKey("charity.Fund", verbose_name=_("fund"), on_delete=models.PROTECT,
                             related_name="disbursements")
    category = models.CharField(_("category"), max_length=12,
                                choices=DisbursementCategory.choices,
                                default=DisbursementCategory.CHARITABLE)
    source = models.CharField(_("paid from"), max_length=6, choices=DisbursementSource.choices,
                              default=DisbursementSource.CASH)
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    purpose = models.CharField(_("purpose"), max_length=300)
    aim = models.CharField(_("aim"), max_length=12, choices=DisbursementAim.choices,
                           default=DisbursementAim.OTHER)
    beneficiary_kind = models.CharField(_("beneficiary"), max_length=8,
                                        choices=BeneficiaryKind.choices)
    person = models.ForeignKey("people.Person", verbose_name=_("person in care"),
                               on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # The needs and projects apps come later. Their ids are kept as plain integer columns
    # named like the foreign keys they will become (need_id, project_id), so turning them
    # into ForeignKey("needs.Need") / ForeignKey("projects.ServiceProject") is an AlterField
    # with no data migration. The public label says what the need or project is.
    need_id = models.BigIntegerField(_("need number"), null=True, blank=True)
    project_id = models.BigIntegerField(_("project number"), null=True, blank=True)
    beneficiary_label = models.CharField(_("need or project"), max_length=120, blank=True)
    beneficiary_count = models.PositiveIntegerField(_("people benefiting"), default=1)
    beneficiary_region = models.ForeignKey("regions.Region", verbose_name=_("beneficiary's community"),
                                           on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=DisbursementStatus.choices,
                              default=DisbursementStatus.REQUESTED)
    # Fixed when requested from the fund's threshold: a later change of the threshold does not
    # alter a request already under way.
    approvals_required = models.PositiveSmallIntegerField(_("approvals required"), default=1)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                blank=True, related_name="+")
    payment_ref = models.CharField(_("payment voucher"), max_length=60, blank=True)
    entry = models.OneToOneField("charity.LedgerEntry", on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="disbursement")
    reversal_entry = models.OneToOneField("charity.LedgerEntry", on_delete=models.PROTECT,
                                          null=True, blank=True,
                                          related_name="reversed_disbursement")
    closing_reason = models.CharField(_("reason"), max_length=200, blank=True)
    region_path = models.CharField(max_length=15, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
            models.CheckConstraint(condition=Q(beneficiary_count__gte=0),
                                   name="disbursement_count_nonnegative"),
        ]
        indexes = [
            models.Index(fields=["fund", "status"], name="disbursement_fund_status"),
            models.Index(fields=["region_path", "status"], name="disbursement_path_status"),
        ]

    def __str__(self) -> str:
        return f"{self.fund_id}:{self.amount}"


class Decision(models.TextChoices):
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")


class DisbursementApproval(models.Model):
    """One manager's decision on a request. One per manager: two signatures need two people."""

    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT,
                                     related_name="approvals")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    decision = models.CharField(_("decision"), max_length=8, choices=Decision.choices)
    comment = models.CharField(_("comment"), max_length=200, blank=True)
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("approval")
        verbose_name_plural = _("approvals")
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["disbursement", "approver"],
                                               name="approval_once_per_manager")]

    def __str__(self) -> str:
        return f"{self.disbursement_id}:{self.decision}"
