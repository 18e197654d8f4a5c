"""Volunteers (a Person plus what volunteering needs) and public self-registrations."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from wushe.core.crypto import EncryptedTextField
from wushe.core.masking import mask_id_number, mask_name, mask_phone
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.people.names import EncryptedNameField


class ServiceArea(models.TextChoices):
    """Service interests, after the seed text's list of how volunteers help."""

    VISITS = "visits", _("Home visits (上门慰问)")
    PAIRING = "pairing", _("Pairing help (结对帮扶)")
    COUNSELLING = "counselling", _("Counselling (心理疏导)")
    CHARITY = "charity", _("Charity (公益慈善)")
    CARE = "care", _("Care and assistance (关爱援助)")
    ELDERLY = "elderly", _("Elderly care (助老)")
    CHILDREN = "children", _("Children and youth (关爱未成年人)")
    GOVERNANCE = "governance", _("Community governance (社区治理)")
    CIVILISATION = "civilisation", _("Civilisation practice (文明实践)")
    ENVIRONMENT = "environment", _("Clean homes and environment (洁净家园)")
    EMERGENCY = "emergency", _("Emergency support (应急服务)")


class Availability(models.TextChoices):
    WEEKDAY_DAY = "weekday_day", _("Weekday daytime (工作日白天)")
    WEEKDAY_EVENING = "weekday_evening", _("Weekday evenings (工作日晚上)")
    WEEKEND = "weekend", _("Weekends (周末)")
    HOLIDAYS = "holidays", _("Public holidays (节假日)")
    ON_CALL = "on_call", _("On call for emergencies (应急随叫随到)")


class VolunteerStatus(models.TextChoices):
    ACTIVE = "active", _("Active (在册)")
    SUSPENDED = "suspended", _("Suspended (暂停)")
    LEFT = "left", _("Left (已退出)")


def join_tags(values: list[str] | tuple[str, ...]) -> str:
    """Tags are stored as ``,a,b,``: an exact tag is then ``contains=",a,"`` on any database."""
    return "," + ",".join(values) + "," if values else ""


def split_tags(stored: str) -> list[str]:
    return [t for t in (stored or "").split(",") if t]


class Volunteer(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    person = models.OneToOneField("people.Person", verbose_name=_("person"),
                                  on_delete=models.PROTECT, related_name="volunteer")
    # Never derived from the ID number: it is printed on certificates and badges.
    number = models.CharField(_("volunteer number"), max_length=20, unique=True)
    # The volunteer's own login, if any: what "sees only itself" is decided by.
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user account"),
                                on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="volunteer")
    region = models.ForeignKey("regions.Region", verbose_name=_("community"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    interests = models.CharField(_("service interests"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=100, blank=True)
    join_date = models.DateField(_("join date"))
    status = models.CharField(_("status"), max_length=12, choices=VolunteerStatus.choices,
                              default=VolunteerStatus.ACTIVE)
    consent = models.ForeignKey("people.Consent", verbose_name=_("consent"),
                                on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Incremental totals of confirmed service (see services/records.py).
    hours_confirmed = models.DecimalField(_("confirmed hours"), max_digits=14, decimal_places=2,
                                          default=Decimal("0"), editable=False)
    records_confirmed = models.PositiveIntegerField(_("confirmed records"), default=0,
                                                    editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")
        ordering = ["region_path", "id"]
        indexes = [
            models.Index(fields=["region_path", "id"], name="volunteer_path_id"),
            # Star bands are hour ranges inside a region subtree.
            models.Index(fields=["region_path", "hours_confirmed"], name="volunteer_path_hours"),
        ]
        constraints = [models.CheckConstraint(condition=Q(hours_confirmed__gte=0),
                                              name="volunteer_hours_gte_0")]

    def __str__(self) -> str:
        return self.number

    @property
    def skill_list(self) -> list[str]:
        return split_tags(self.skills)

    @property
    def interest_list(self) -> list[str]:
        return split_tags(self.interests)

    @property
    def interest_labels(self) -> list[str]:
        labels = dict(ServiceArea.choices)
        return [str(labels.get(t, t)) for t in self.interest_list]

    @property
    def availability_labels(self) -> list[str]:
        labels = dict(Availability.choices)
        return [str(labels.get(t, t)) for t in split_tags(self.availability)]


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("service record", "Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class VolunteerApplication(TimeStampedModel):
    """A self-registration from the public page: no Person exists until a leader approves it."""

    scope_path_field: ClassVar[str] = "region_path"

    reference = models.CharField(_("reference"), max_length=16, unique=True)
    name = EncryptedNameField(_("name"))  # encrypted at rest (#22); never looked up by name
    id_number = EncryptedTextField(_("ID number"))
    id_number_bidx = models.CharField(max_length=64, db_index=True, editable=False)
    phone = EncryptedTextField(_("phone"))
    region = models.ForeignKey("regions.Region", verbose_name=_("community"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, db_index=True, editable=False)
    team = models.ForeignKey("volunteers.Team", verbose_name=_("team"), on_delete=models.PROTECT,
                             null=True, blank=True, related_name="applications")
    team_path = models.CharField(max_length=12, blank=True, editable=False)
    skills = models.CharField(_("skills"), max_length=300, blank=True)
    interests = models.CharField(_("service interests"), max_length=200, blank=True)
    availability = models.CharField(_("availability"), max_length=100, blank=True)
    guardian_name = EncryptedNameField(_("guardian's name"), blank=True)
    guardian_id_number = EncryptedTextField(_("guardian's ID number"), blank=True, default="")
    guardian_phone = EncryptedTextField(_("guardian's phone"), blank=True, default="")
    guardian_relation = models.CharField(_("guardian relation"), max_length=20, blank=True)
    consented_at = models.DateTimeField(_("consent given at"))
    # HMAC of the client address: enough to rate-limit, not enough to read the address back.
    client_hash = models.CharField(max_length=64, db_index=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=ApplicationStatus.choices,
                              default=ApplicationStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                   blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=200, blank=True)
    volunteer = models.ForeignKey(Volunteer, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("volunteer application")
        verbose_name_plural = _("volunteer applications")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.reference

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
    def has_guardian(self) -> bool:
        return bool(self.guardian_name)
