from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from wushe.accounts.models import User


class CharacterClassValidator:
    """At least three of: lower case, upper case, digits, symbols (等保 2.0 password complexity)."""

    def validate(self, password: str, user: Any = None) -> None:
        classes = sum([
            any(c.islower() for c in password), any(c.isupper() for c in password),
            any(c.isdigit() for c in password), any(not c.isalnum() for c in password),
        ])
        if classes < 3:
            raise ValidationError(
                _("The password must mix at least three of: lower case, upper case, digits, "
                  "symbols."), code="password_classes")

    def get_help_text(self) -> str:
        return _("Mix at least three of: lower case, upper case, digits, symbols.")


def password_expired(user: User) -> bool:
    """Older than the policy's maximum age (counted from the account's creation if never set)."""
    days = settings.WUSHE_PASSWORD_MAX_AGE_DAYS
    if days <= 0 or not user.is_authenticated:
        return False
    since = user.password_changed_at or user.date_joined
    if timezone.now() - since <= dt.timedelta(days=days):
        return False
    # An account that signs in through the identity provider only has no password to renew.
    from wushe.accounts import oidc

    return not oidc.password_login_disabled(user)
