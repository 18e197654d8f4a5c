"""自治金点子: residents' and staff's ideas for self-governance projects, and the discussion."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import EncryptedTextField
from wushe.core.masking import mask_name
from wushe.core.models import TimeStampedModel
from wushe.core.scoping import ScopedManager


class IdeaState(models.TextChoices):
    SUBMITTED = "submitted", _("Under discussion")
    ADOPTED = "adopted", _("Adopted")
    REJECTED = "rejected", _("Not adopted")


class IdeaChannel(models.TextChoices):
    PUBLIC = "public", _("From a resident online")
    STAFF = "staff", _("Recorded by staff")


class Idea(TimeStampedModel):
    scope_path_field: ClassVar[str] = "region_path"

    code = models.CharField(_("number"), max_length=16, unique=True)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("idea"))
    region = models.ForeignKey("regions.Region", verbose_name=_("community"),
                               on_delete=models.PROTECT, related_name="+")
    region_path = models.CharField(max_length=15, editable=False)
    channel = models.CharField(_("channel"), max_length=8, choices=IdeaChannel.choices)
    submitter_name = EncryptedTextField(_("submitted by"), blank=True, default="")
    submitter_phone = EncryptedTextField(_("contact phone"), blank=True, default="")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                     null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    state = models.CharField(_("status"), max_length=10, choices=IdeaState.choices,
                             default=IdeaState.SUBMITTED)
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # The project it became, once the projects app exists ("projects.ServiceProject:12").
    project_ref = models.CharField(_("project"), max_length=80, blank=True)
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # Residents' support: online (one per confirmed phone) and on paper, counted apart.
    support_count = models.PositiveIntegerField(_("support online"), default=0, editable=False)
    paper_support_count = models.PositiveIntegerField(_("support on paper"), default=0,
                                                      editable=False)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("self-governance idea")
        verbose_name_plural = _("self-governance ideas")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["region_path", "submitted_at"], name="idea_path_at")]

    def __str__(self) -> str:
        return self.title

    @property
    def masked_submitter(self) -> str:
        return mask_name(self.submitter_name)


class IdeaComment(models.Model):
    scope_path_field: ClassVar[str] = "region_path"

    idea = models.ForeignKey(Idea, on_delete=models.CASCADE, related_name="comments")
    region_path = models.CharField(max_length=15, editable=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                               blank=True, related_name="+")
    author_name = models.CharField(_("by"), max_length=150)
    body = models.TextField(_("comment"))
    at = models.DateTimeField(_("time"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["idea_id", "at", "id"]

    def __str__(self) -> str:
        return f"{self.author_name} · {self.at:%Y-%m-%d}"
