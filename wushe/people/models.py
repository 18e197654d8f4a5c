"""Person: one human, whatever roles they later take (resident in care, volunteer, worker).

ID number, phone and address are encrypted at rest; ID number and phone also get an HMAC
blind index so exact lookup and dedupe work without decrypting anything.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import EncryptedTextField
from wushe.core.masking import mask_address, mask_id_number, mask_name, mask_phone
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


# Fields that need a permission and a stated purpose to show unmasked.
SENSITIVE_FIELDS = ("id_number", "phone", "address")


class Person(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    name = models.CharField(_("name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    id_number = EncryptedTextField(_("ID number"), null=True, blank=True)
    # NULL, not "": a person without an ID number must not match another one.
    id_number_bidx = models.CharField(max_length=64, null=True,  # noqa: DJ001
                                      blank=True, db_index=True,
                                      editable=False)
    phone = EncryptedTextField(_("phone"), null=True, blank=True)
    phone_bidx = models.CharField(max_length=64, null=True,  # noqa: DJ001
                                  blank=True, db_index=True,
                                  editable=False)
    address = EncryptedTextField(_("address"), blank=True, default="")
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("community"), on_delete=models.PROTECT,
        related_name="persons",
    )
    region_path = models.CharField(max_length=15, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["-id"]
        # (region_path, id): a scoped page ordered by id reads one index range.
        indexes = [models.Index(fields=["region_path", "id"], name="person_path_id")]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def masked_name(self) -> str:
        return mask_name(self.name)

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number)

    @property
    def masked_phone(self) -> str:
        return mask_phone(self.phone)

    @property
    def masked_address(self) -> str:
        return mask_address(self.address)

    def age(self, on: dt.date | None = None) -> int | None:
        if not self.birth_date:
            return None
        on = on or dt.date.today()
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))

    @property
    def is_minor(self) -> bool:
        age = self.age()
        return age is not None and age < settings.WUSHE_MINOR_AGE


class ConsentPurpose(models.TextChoices):
    SERVICE = "service", _("Receiving community services")
    VOLUNTEERING = "volunteering", _("Volunteer registration and service records")
    ASSISTANCE = "assistance", _("Assistance and relief assessment")
    CONTACT = "contact", _("Being contacted about services")
    PUBLICITY = "publicity", _("Publicity (photos, stories)")


class Consent(TimeStampedModel):
    """Consent under PIPL: per purpose; sensitive data needs its own; under-14s need a guardian."""

    scope_path_field: ClassVar[str] = "region_path"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=20, choices=ConsentPurpose.choices)
    scope = models.CharField(_("scope of use"), max_length=300)
    sensitive = models.BooleanField(
        _("separate consent for sensitive personal data"), default=False
    )
    guardian = models.ForeignKey(
        Person, verbose_name=_("guardian"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )
    guardian_relation = models.CharField(_("guardian relation"), max_length=20, blank=True)
    given_at = models.DateTimeField(_("given at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    region_path = models.CharField(max_length=15, db_index=True, editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-given_at"]

    @property
    def active(self) -> bool:
        return self.withdrawn_at is None
