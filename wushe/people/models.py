"""Person: one human, whatever roles they later take (resident in care, volunteer, worker).

ID number, phone and address are encrypted at rest; ID number and phone also get an HMAC
blind index so exact lookup and dedupe work without decrypting anything.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import EncryptedTextField
from wushe.core.masking import mask_address, mask_id_number, mask_name, mask_phone
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager, ScopedQuerySet
from wushe.people.names import EncryptedNameField, name_index


class Gender(models.TextChoices):
    MALE = "M", _("Male")
    FEMALE = "F", _("Female")


class PersonQuerySet(ScopedQuerySet):
    """Keeps the name's blind index in step on the paths that skip ``Person.save``."""

    def bulk_create(self, objs: Any, *args: Any, **kwargs: Any) -> list[Any]:
        objs = list(objs)
        for obj in objs:
            obj.name_bidx = name_index(obj.name)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs: Any, fields: Any, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        fields = list(fields)
        if "name" in fields:
            for obj in objs:
                obj.name_bidx = name_index(obj.name)
            if "name_bidx" not in fields:
                fields.append("name_bidx")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        if "name" in kwargs:
            kwargs["name_bidx"] = name_index(kwargs["name"])
        return super().update(**kwargs)


class PersonManager(models.Manager.from_queryset(PersonQuerySet)):  # type: ignore[misc]
    pass


# Fields that need a permission and a stated purpose to show unmasked.
SENSITIVE_FIELDS = ("id_number", "phone", "address")


class Person(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    # Encrypted like the ID number; found only by the exact normalised full name (names.py).
    name = EncryptedNameField(_("name"))
    name_bidx = models.CharField(max_length=64, null=True,  # noqa: DJ001
                                 blank=True, db_index=True, editable=False)
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

    objects = PersonManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["-id"]
        # (region_path, id): a scoped page ordered by id reads one index range.
        indexes = [models.Index(fields=["region_path", "id"], name="person_path_id")]

    def __str__(self) -> str:
        return self.masked_name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_bidx = name_index(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_bidx"}
        super().save(*args, **kwargs)

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
