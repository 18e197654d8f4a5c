"""A resident's SMS subscription to the progress of one need (public intake, "notify")."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A confirmation code is valid this long; a need gets at most CODES_MAX codes, one a minute;
# TRIES_MAX wrong codes lock the subscription for good (6 digits, 5 guesses: 1 in 200,000).
CODE_VALID_SECONDS = 600
CODE_RESEND_SECONDS = 60
CODES_MAX = 3
TRIES_MAX = 5


class NeedSubscription(models.Model):
    """The resident asked for SMS about a need: the first message is a confirmation code; the
    need's state changes are sent only once the code came back (the phone is proven). The code
    is kept as a keyed hash only."""

    need = models.OneToOneField("needs.Need", on_delete=models.CASCADE,
                                related_name="subscription")
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_sent_at = models.DateTimeField(_("code sent at"), null=True, blank=True)
    sends = models.PositiveSmallIntegerField(_("codes sent"), default=0)
    tries = models.PositiveSmallIntegerField(_("wrong codes"), default=0)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("SMS subscription")
        verbose_name_plural = _("SMS subscriptions")

    def __str__(self) -> str:
        return f"subscription of need {self.need_id}"

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def locked(self) -> bool:
        return not self.confirmed and self.tries >= TRIES_MAX

    def expired(self, now: object = None) -> bool:
        if self.code_sent_at is None:
            return True
        now = now or timezone.now()
        return (now - self.code_sent_at).total_seconds() > CODE_VALID_SECONDS  # type: ignore[operator]
