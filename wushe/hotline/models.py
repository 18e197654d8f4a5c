"""A 12345 work order (工单) received from the platform, linked to the need it became, and the
outbox of status updates (受理, 办结, 回访) going back to the platform."""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.scoping import ScopedManager


class OrderChannel(models.TextChoices):
    PHONE = "phone", _("Phone (电话)")
    WEB = "web", _("Website (网络)")
    APP = "app", _("Mobile app (APP)")
    WECHAT = "wechat", _("WeChat (微信)")
    MAIL = "mail", _("Letter or e-mail (信件)")
    OTHER = "other", _("Other (其他)")


class OrderSource(models.TextChoices):
    API = "api", _("Platform API")
    EXCEL = "excel", _("Excel import")


class Order(models.Model):
    """One 工单. ``number`` is unique: a second receipt of it answers with the first need."""

    scope_path_field: ClassVar[str] = "region_path"

    number = models.CharField(_("order number"), max_length=32, unique=True)
    need = models.OneToOneField("needs.Need", verbose_name=_("need"), on_delete=models.PROTECT,
                                related_name="hotline_order")
    region_path = models.CharField(max_length=15, editable=False)
    received_at = models.DateTimeField(_("received at"))
    channel = models.CharField(_("channel"), max_length=8, choices=OrderChannel.choices)
    platform_category = models.CharField(_("platform category"), max_length=40, blank=True)
    deadline = models.DateTimeField(_("platform deadline"))
    source = models.CharField(_("source"), max_length=8, choices=OrderSource.choices)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    objects = ScopedManager()

    class Meta:
        verbose_name = _("12345 work order")
        verbose_name_plural = _("12345 work orders")
        ordering = ("deadline", "id")
        indexes = [models.Index(fields=("region_path", "deadline"), name="hotline_order_path_dl")]

    def __str__(self) -> str:
        return self.number


class UpdateKind(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted (受理)")
    RESOLVED = "resolved", _("Resolved (办结)")
    VISITED = "visited", _("Followed up (回访)")


class UpdateState(models.TextChoices):
    PENDING = "pending", _("Waiting to send")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Will retry")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class HotlineUpdate(models.Model):
    """One status update for the platform: pushed (with retries) and readable by a pull cursor
    (its id). ``uid`` is what the platform dedupes on: a retry carries the same uid."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=10, choices=UpdateKind.choices)
    payload = models.JSONField(default=dict)  # staff-written result and ratings; no contact
    state = models.CharField(_("state"), max_length=10, choices=UpdateState.choices,
                             default=UpdateState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("12345 status update")
        verbose_name_plural = _("12345 status updates")
        ordering = ("id",)
        indexes = [models.Index(fields=("state", "next_at"), name="hotline_update_due")]

    def __str__(self) -> str:
        return f"{self.order_id} {self.kind}"
