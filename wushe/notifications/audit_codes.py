"""Audit action codes of the notifications app (app.model.verb)."""

from __future__ import annotations

from enum import StrEnum

from wushe.audit.codes import register


class NotificationsAction(StrEnum):
    PREFERENCE_CHANGED = "notifications.preference.changed"
    # The address (a phone) was decrypted to send one message: logged like any unmasked view.
    ADDRESS_UNMASKED = "notifications.delivery.address_unmasked"
    DELIVERY_RETRIED = "notifications.delivery.retried"


register(NotificationsAction)
