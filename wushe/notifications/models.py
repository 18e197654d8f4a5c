"""Notifications: what an account is told in the app, and the outbox of every message sent on
another channel (email, SMS through the government gateway, a work-chat robot).

A message's text never holds personal data (a work item's kind, code, due date and link; a
resident's tracking code, state and link). The address is not stored with the delivery: it is
looked up when the message is sent (an account's email, its encrypted phone, a need's encrypted
contact phone), so a phone is decrypted only at send time.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wushe.core.crypto import EncryptedTextField


class Channel(models.TextChoices):
    INAPP = "inapp", _("In the app")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    CHAT = "chat", _("Work chat")


class Notification(models.Model):
    """One thing an account is told, shown in the app (always) and the source of its deliveries."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                  related_name="notifications")
    kind = models.CharField(_("kind"), max_length=64)  # a work producer's code, or an event code
    # Unique per recipient: the same event announced twice (a retried job) is one notification.
    key = models.CharField(max_length=120)
    title = models.CharField(_("title"), max_length=200)  # no personal data
    link = models.CharField(max_length=300, blank=True)
    due = models.DateField(_("due"), null=True, blank=True)
    urgent = models.BooleanField(_("urgent"), default=False)
    count = models.PositiveIntegerField(default=1)  # a burst of one kind collapsed into one
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        constraints = [models.UniqueConstraint(fields=("recipient", "key"),
                                               name="notification_once_per_key")]
        indexes = [models.Index(fields=("recipient", "read_at", "created_at"),
                                name="notification_inbox")]

    def __str__(self) -> str:
        return self.title


class Preference(models.Model):
    """How an account wants to be told, besides the app (which is always on)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                primary_key=True, related_name="notification_preference")
    email = models.BooleanField(_("email"), default=False)
    sms = models.BooleanField(_("SMS"), default=False)
    chat = models.BooleanField(_("work chat"), default=False)
    phone = EncryptedTextField(_("mobile for SMS"), blank=True, default="")
    # 22:00–08:00: messages wait until morning, except urgent ones (escalations, overdue).
    quiet_hours = models.BooleanField(_("quiet hours 22:00–08:00"), default=True)
    digest = models.BooleanField(_("one daily digest instead of single messages"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"preference of {self.user_id}"


class DeliveryState(models.TextChoices):
    PENDING = "pending", _("Waiting to send")
    HELD = "held", _("Held (quiet hours or digest)")
    SENDING = "sending", _("Sending")
    RETRYING = "retrying", _("Will retry")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not sent")  # over a cap, or no address


class Delivery(models.Model):
    """One message on one channel: the outbox row. Sent at most once (``key`` is unique, and the
    sender claims the row before it calls the channel)."""

    key = models.CharField(max_length=160, unique=True)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    notification = models.ForeignKey(Notification, null=True, blank=True,
                                      on_delete=models.CASCADE, related_name="deliveries")
    # Where to send, resolved at send time: an address resolver's name and its reference
    # ("account" + a user id, "needs.contact" + a need id). Never the address itself.
    resolver = models.CharField(max_length=40)
    ref = models.PositiveBigIntegerField()
    kind = models.CharField(_("kind"), max_length=64)
    text = models.TextField(_("text"))  # no personal data
    urgent = models.BooleanField(_("urgent"), default=False)
    state = models.CharField(_("state"), max_length=10, choices=DeliveryState.choices,
                             default=DeliveryState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    gateway_id = models.CharField(max_length=80, blank=True)  # the gateway's message id
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [models.Index(fields=("state", "next_at"), name="delivery_due"),
                   models.Index(fields=("channel", "state", "created_at"),
                                name="delivery_outbox")]

    def __str__(self) -> str:
        return self.key


class DeliveryAttempt(models.Model):
    """Every call of a channel, whatever came of it."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="tries")
    at = models.DateTimeField(default=timezone.now)
    outcome = models.CharField(max_length=10)  # sent | retry | failed | unknown
    detail = models.CharField(max_length=300, blank=True)  # no address, no text
    ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("at", "id")

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.outcome}"


class SmsQuota(models.Model):
    """SMS sent to one phone (by its blind index) on one day: the cap that keeps the public form
    from bombing a number at the district's expense."""

    phone_bidx = models.CharField(max_length=64)
    day = models.DateField()
    sent = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=("phone_bidx", "day"),
                                               name="sms_quota_once")]

    def __str__(self) -> str:
        return f"{self.day} {self.sent}"  # never the phone, not even its index


class WorkSnapshot(models.Model):
    """The work items an account had at the last scan ({producer code: [ids]}): a new id is a
    new item, announced once. The first scan of an account only records (no flood at go-live)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                primary_key=True, related_name="work_snapshot")
    items = models.JSONField(default=dict)
    taken_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"work snapshot of {self.user_id}"
