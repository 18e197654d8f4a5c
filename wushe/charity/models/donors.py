"""Donors: enterprises (统一社会信用代码) and individuals (a Person, or a name and a contact)."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import EncryptedTextField
from wushe.core.masking import mask_name, mask_phone
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedQuerySet
from wushe.people.names import (
    EncryptedNameField,
    NameIndexedModelMixin,
    NameIndexedQuerySetMixin,
)


class DonorKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    PERSON = "person", _("Individual")


class DonorQuerySet(NameIndexedQuerySetMixin, ScopedQuerySet):
    pass


class DonorManager(models.Manager.from_queryset(DonorQuerySet)):  # type: ignore[misc]
    pass


class Donor(NameIndexedModelMixin, TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    kind = models.CharField(_("kind"), max_length=12, choices=DonorKind.choices)
    # Encrypted for every donor (an individual's name is personal); found by the exact
    # normalised name through the blind index, never by prefix, never ordered by.
    name = EncryptedNameField(_("name"))
    name_bidx = models.CharField(max_length=64, null=True,  # noqa: DJ001
                                 blank=True, db_index=True, editable=False)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, null=True,  # noqa: DJ001
                                   blank=True, unique=True)
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    contact_name = EncryptedNameField(_("contact person"), blank=True)
    phone = EncryptedTextField(_("contact phone"), null=True, blank=True)
    phone_bidx = models.CharField(max_length=64, null=True, blank=True, db_index=True,  # noqa: DJ001
                                  editable=False)
    anonymous = models.BooleanField(_("wishes to stay anonymous"), default=False)
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   null=True, blank=True, related_name="+")

    objects = DonorManager()

    class Meta:
        verbose_name = _("donor")
        verbose_name_plural = _("donors")
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="enterprise") | Q(credit_code__isnull=False),
                name="donor_enterprise_has_credit_code"),
        ]
        indexes = [models.Index(fields=["region_path", "kind"], name="donor_path_kind")]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Staff pages: enterprises by name, individuals masked."""
        return self.name if self.kind == DonorKind.ENTERPRISE else mask_name(self.name)

    @property
    def public_name(self) -> str:
        """Public pages: enterprises by name unless anonymous; individuals never named."""
        if self.kind == DonorKind.ENTERPRISE and not self.anonymous:
            return self.name
        return str(_("Anonymous enterprise") if self.kind == DonorKind.ENTERPRISE
                   else _("Caring individual"))

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)
