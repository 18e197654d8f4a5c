"""The 党群服务中心 "强基赋能" renovation programme: a programme with its budget, the party
centres it renovates (each with its budget, contract, spending, documents and progress)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.scoping import ScopedManager


class Programme(models.Model):
    """A multi-year renovation programme run by a department of a region (the district)."""

    scope_path_field: ClassVar[str] = "region_path"

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    department = models.CharField(_("department"), max_length=120)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    total_budget = models.DecimalField(_("total budget (yuan)"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("renovation programme")
        verbose_name_plural = _("renovation programmes")
        ordering = ["-start_year", "name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(end_year__gte=models.F("start_year")),
                                   name="renovation_programme_years"),
            models.CheckConstraint(condition=models.Q(total_budget__gt=0),
                                   name="renovation_programme_budget_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Progress(models.TextChoices):
    PLANNED = "planned", _("Planned")
    UNDER_WAY = "under_way", _("Under way")
    ACCEPTED = "accepted", _("Accepted")


# The only forward step from each state (no skipping); going back is an audited reopen.
NEXT = {Progress.PLANNED: Progress.UNDER_WAY, Progress.UNDER_WAY: Progress.ACCEPTED}
PREVIOUS = {Progress.UNDER_WAY: Progress.PLANNED, Progress.ACCEPTED: Progress.UNDER_WAY}


class Renovation(models.Model):
    """One party centre renovated under a programme."""

    scope_path_field: ClassVar[str] = "region_path"

    programme = models.ForeignKey(Programme, verbose_name=_("programme"),
                                  on_delete=models.PROTECT, related_name="renovations")
    site = models.ForeignKey("regions.Site", verbose_name=_("party centre"),
                             on_delete=models.PROTECT, related_name="renovations")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)  # the site's
    budget = models.DecimalField(_("budget (yuan)"), max_digits=14, decimal_places=2)
    contractor = models.CharField(_("contractor"), max_length=120, blank=True)
    contract_number = models.CharField(_("contract number"), max_length=60, blank=True)
    contract_amount = models.DecimalField(_("contract amount (yuan)"), max_digits=14,
                                          decimal_places=2, default=0)
    progress = models.CharField(_("progress"), max_length=12, choices=Progress.choices,
                                default=Progress.PLANNED)
    started_on = models.DateField(_("works started on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    acceptance_document = models.ForeignKey(
        "renovation.RenovationDocument", verbose_name=_("acceptance document"),
        on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("centre renovation")
        verbose_name_plural = _("centre renovations")
        ordering = ["programme", "region_path", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "site"], name="renovation_site_once"),
            models.CheckConstraint(
                condition=~models.Q(progress="accepted") | models.Q(
                    accepted_on__isnull=False, acceptance_document__isnull=False),
                name="renovation_accepted_has_proof"),
        ]
        indexes = [models.Index(fields=["progress", "accepted_on"], name="renovation_accepted")]

    def __str__(self) -> str:
        return f"{self.programme_id}/{self.site_id}"


class Spending(models.Model):
    """One payment on a renovation, with its accounting voucher."""

    scope_path_field: ClassVar[str] = "region_path"

    renovation = models.ForeignKey(Renovation, verbose_name=_("renovation"),
                                   on_delete=models.PROTECT, related_name="spendings")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    spent_on = models.DateField(_("date"))
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    voucher_number = models.CharField(_("voucher number"), max_length=60)
    override_reason = models.CharField(_("reason for exceeding the contract"), max_length=300,
                                       blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("renovation spending")
        verbose_name_plural = _("renovation spending")
        ordering = ["renovation", "spent_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["renovation", "voucher_number"],
                                    name="renovation_voucher_once"),
            models.CheckConstraint(condition=models.Q(amount__gt=0),
                                   name="renovation_spending_positive"),
        ]
        indexes = [models.Index(fields=["region_path", "spent_on"], name="renovation_spent")]

    def __str__(self) -> str:
        return f"{self.voucher_number} {self.amount}"


class DocumentKind(models.TextChoices):
    CONTRACT = "contract", _("Contract")
    ACCEPTANCE = "acceptance", _("Acceptance certificate")
    PHOTO = "photo", _("Photograph")
    OTHER = "other", _("Other")


class RenovationDocument(models.Model):
    """A document attached to a renovation (PDF, PNG or JPEG; kept in the database so that
    attaching it is one transaction with its audit event)."""

    scope_path_field: ClassVar[str] = "region_path"

    renovation = models.ForeignKey(Renovation, verbose_name=_("renovation"),
                                   on_delete=models.PROTECT, related_name="documents")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=DocumentKind.choices)
    data = models.BinaryField(editable=False)
    name = models.CharField(_("file name"), max_length=120)
    content_type = models.CharField(max_length=40, editable=False)
    size = models.PositiveIntegerField(_("size (bytes)"), editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    null=True, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("renovation document")
        verbose_name_plural = _("renovation documents")
        ordering = ["renovation", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class Transition(models.Model):
    """One change of a renovation's progress (forward, or back by an audited reopen)."""

    scope_path_field: ClassVar[str] = "region_path"

    renovation = models.ForeignKey(Renovation, verbose_name=_("renovation"),
                                   on_delete=models.CASCADE, related_name="transitions")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    from_progress = models.CharField(_("from"), max_length=12, choices=Progress.choices)
    to_progress = models.CharField(_("to"), max_length=12, choices=Progress.choices)
    on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                              related_name="+")
    at = models.DateTimeField(_("recorded at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("progress change")
        verbose_name_plural = _("progress changes")
        ordering = ["renovation", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_progress}→{self.to_progress}"
