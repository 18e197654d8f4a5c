"""Need (one resident request, whatever the channel), its events, assignments and follow-ups."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.audit.models import AppendOnlyModel
from wushe.core.crypto import EncryptedTextField
from wushe.core.masking import mask_name, mask_phone
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager
from wushe.needs.categories import CATEGORIES, Channel, NeedGroup, Urgency, category_choices
from wushe.needs.workflow import DONE, OPEN, State


class CommonProblem(models.TextChoices):
    """The common problem (共性问题) a need belongs to, when staff group it with others."""

    ELDERLY = "elderly", _("Services for the elderly")
    HARDSHIP = "hardship", _("Services for people in hardship")
    MINORS = "minors", _("Services for minors")
    LIVING = "living", _("Living environment")
    OTHER = "other", _("Other common problems")


class Need(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    tracking_code = models.CharField(_("tracking code"), max_length=14, unique=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    category = models.CharField(_("category"), max_length=32, choices=category_choices())
    target_group = models.CharField(_("target group"), max_length=10, choices=NeedGroup.choices,
                                    default=NeedGroup.GENERAL)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices,
                               default=Urgency.NORMAL)
    common_problem = models.CharField(_("common problem"), max_length=10,
                                      choices=CommonProblem.choices, blank=True, default="")
    # What residents write is often about health or hardship: encrypted like an ID number.
    description = EncryptedTextField(_("description"))
    contact_name = EncryptedTextField(_("contact name"), blank=True, default="")
    contact_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    contact_phone_bidx = models.CharField(max_length=64, null=True, blank=True,  # noqa: DJ001
                                          db_index=True, editable=False)
    requester = models.ForeignKey("people.Person", verbose_name=_("requester"),
                                  on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="needs")
    care_profile = models.ForeignKey("residents.CareProfile", verbose_name=_("care profile"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="needs")
    # The community, or the grid a grid worker reported from.
    region = models.ForeignKey("regions.Region", verbose_name=_("region"),
                               on_delete=models.PROTECT, related_name="+")
    community = models.ForeignKey("regions.Region", verbose_name=_("community"),
                                  on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    state = models.CharField(_("status"), max_length=12, choices=State.choices,
                             default=State.SUBMITTED)
    received_at = models.DateTimeField(_("received at"), default=timezone.now)
    due_on = models.DateField(_("due on"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    resolved_on_time = models.BooleanField(_("resolved on time"), null=True, blank=True)
    result = EncryptedTextField(_("result"), blank=True, default="")
    # 0 the community handles it, 1 escalated to the street, 2 to the district (督办).
    escalation_level = models.PositiveSmallIntegerField(_("escalation"), default=0)
    extensions = models.PositiveSmallIntegerField(_("extensions"), default=0)
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    reopened_count = models.PositiveSmallIntegerField(_("times reopened"), default=0)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    # The five societies that took part ("|committee|volunteer|"), for the linkage rate.
    societies = models.CharField(_("societies"), max_length=80, blank=True, default="")
    society_count = models.PositiveSmallIntegerField(default=0)
    merged_into = models.ForeignKey("self", verbose_name=_("merged into"), on_delete=models.PROTECT,
                                    null=True, blank=True, related_name="merged_needs")
    duplicate_of = models.ForeignKey("self", verbose_name=_("possible duplicate of"),
                                     on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    decline_reason = models.CharField(_("reason"), max_length=200, blank=True)
    # SHA-256 of the client's Idempotency-Key: a retried submission finds its first answer.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True,  # noqa: DJ001
                                       unique=True, editable=False)
    # SHA-256 of the submission's content (canonical JSON): the same key with other content is
    # refused (409 idempotency_conflict) instead of answered with the first tracking code.
    idempotency_body = models.CharField(max_length=64, blank=True, default="", editable=False)
    source_ref = models.CharField(_("reference"), max_length=40, blank=True)
    consent_at = models.DateTimeField(_("consent given at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-received_at", "-id"]
        indexes = [
            models.Index(fields=["region_path", "id"], name="need_path_id"),
            models.Index(fields=["state", "region_path", "due_on"], name="need_state_path_due"),
            # The street's and district's work (inbox): overdue and escalated open needs
            # counted from the index alone (3.7 → 1.1 ms a count at city).
            models.Index(fields=["state", "region_path", "escalation_level", "due_on"],
                         name="need_state_path_level_due"),
            models.Index(fields=["region_path", "received_at"], name="need_path_received"),
            models.Index(fields=["state", "due_on"], name="need_state_due"),
        ]

    def __str__(self) -> str:
        return self.tracking_code

    @property
    def category_name(self) -> str:
        c = CATEGORIES.get(self.category)
        return str(c.label) if c else self.category

    @property
    def is_open(self) -> bool:
        return self.state in OPEN

    @property
    def is_done(self) -> bool:
        return self.state in DONE

    @property
    def masked_contact_name(self) -> str:
        return mask_name(self.contact_name)

    @property
    def masked_contact_phone(self) -> str:
        return mask_phone(self.contact_phone)

    @property
    def society_list(self) -> list[str]:
        return [s for s in self.societies.split("|") if s]

    def overdue(self, today: dt.date | None = None) -> bool:
        return self.is_open and self.due_on < (today or timezone.localdate())


class NeedEvent(AppendOnlyModel):
    """One step in a need's life: who did what, when, from which state to which. Never edited."""

    scope_path_field: ClassVar[str] = "region_path"

    need = models.ForeignKey(Need, on_delete=models.DO_NOTHING, related_name="events")
    region_path = models.CharField(max_length=15, editable=False)
    at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING,
                              db_constraint=False, null=True, blank=True, related_name="+")
    actor_name = models.CharField(_("by"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=16)
    from_state = models.CharField(max_length=12, blank=True)
    to_state = models.CharField(max_length=12)
    # Staff notes can name people and their troubles: encrypted, never on the public page.
    note = EncryptedTextField(_("note"), blank=True, default="")
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("need event")
        verbose_name_plural = _("need events")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["need", "at"], name="need_event_need_at")]

    def __str__(self) -> str:
        return f"{self.need_id} {self.action}"

    @property
    def from_state_label(self) -> str:
        """The state's name (workflow.STATE_NAMES, as the queue and the public page say it)."""
        return _state_label(self.from_state)

    @property
    def to_state_label(self) -> str:
        return _state_label(self.to_state)

    @classmethod
    def erase_notes(cls, need_id: int) -> int:
        """Clear the staff notes of a need's history when its retention period has passed
        (wushe/retention). The one UPDATE the database lets through on this table: the note
        becomes empty and nothing else changes (migration 0009); returns the rows cleared."""
        from django.db import connection

        with connection.cursor() as cur:
            cur.execute("UPDATE needs_needevent SET note = '' "
                        "WHERE need_id = %s AND note <> ''", [need_id])
            return int(cur.rowcount)


def _state_label(state: str) -> str:
    return str(State(state).label) if state in State.values else state


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Lead")
    SUPPORT = "support", _("Support")


class AssignmentState(models.TextChoices):
    PENDING = "pending", _("Waiting to be taken")
    TAKEN = "taken", _("Taken")
    RETURNED = "returned", _("Returned")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_ASSIGNMENT = (AssignmentState.PENDING, AssignmentState.TAKEN)


class Assignment(models.Model):
    """The linkage: a need handed to one of the five societies, referenced generically so any
    registered provider (wushe/needs/linkage.py) can be the other side."""

    scope_path_field: ClassVar[str] = "region_path"

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="assignments")
    region_path = models.CharField(max_length=15, editable=False)  # the need's
    society = models.CharField(_("society"), max_length=20)  # a provider key (linkage.Society)
    object_id = models.CharField(_("assignee id"), max_length=40, blank=True)
    label = models.CharField(_("assignee"), max_length=200)
    role = models.CharField(_("role"), max_length=8, choices=AssignmentRole.choices)
    state = models.CharField(_("status"), max_length=10, choices=AssignmentState.choices,
                             default=AssignmentState.PENDING)
    # The account that takes or returns it, when the provider knows one.
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                             blank=True, related_name="need_assignments")
    score = models.DecimalField(max_digits=6, decimal_places=1, null=True, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    external_ref = models.CharField(_("linked record"), max_length=80, blank=True)
    # What the dispatcher asked a charity fund for (the disbursement request it makes).
    requested_amount = models.DecimalField(_("amount requested (yuan)"), max_digits=14,
                                           decimal_places=2, null=True, blank=True)
    return_reason = models.CharField(_("reason for returning"), max_length=200, blank=True)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                    null=True, blank=True, related_name="+")
    assigned_at = models.DateTimeField(_("assigned at"), default=timezone.now)
    taken_at = models.DateTimeField(_("taken at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["need_id", "id"]
        indexes = [
            models.Index(fields=["society", "object_id", "state"], name="assign_obj_state"),
            models.Index(fields=["user", "state"], name="assign_user_state"),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.role})"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE_ASSIGNMENT


class FollowUpMethod(models.TextChoices):
    CALL = "call", _("Phone call")
    VISIT = "visit", _("Home visit")
    SMS = "sms", _("Text message")
    ONLINE = "online", _("By the resident online")


class FollowUp(models.Model):
    """回访: a staff call or visit, or the resident's own rating by tracking code."""

    scope_path_field: ClassVar[str] = "region_path"

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="follow_ups")
    region_path = models.CharField(max_length=15, editable=False)
    at = models.DateTimeField(_("time"), default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                           blank=True, related_name="+")
    method = models.CharField(_("method"), max_length=8, choices=FollowUpMethod.choices)
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction"), null=True, blank=True)
    comment = EncryptedTextField(_("comment"), blank=True, default="")

    objects = ScopedManager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["need_id", "at"]
        constraints = [models.CheckConstraint(
            condition=models.Q(satisfaction__isnull=True)
            | models.Q(satisfaction__gte=1, satisfaction__lte=5), name="followup_satisfaction_1_5")]

    def __str__(self) -> str:
        return f"{self.get_method_display()} · {self.at:%Y-%m-%d}"
