"""How an account appears to other people: its display name, never its username.

A username is half of a login; an API field that shows who requested, supervised or wrote
something (``requested_by``, ``supervisor``, ``actor_name`` …) shows this label instead. An
account without a display name appears as "Account #<id>". Only the audit API (``audit.view``
holders) shows usernames.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


def user_label(user: Any) -> str:
    """``user``'s display name, or an opaque "Account #id"; "" for no user."""
    if user is None or getattr(user, "pk", None) is None:
        return ""
    name = (getattr(user, "display_name", "") or "").strip()
    return name or gettext("Account #%(id)s") % {"id": user.pk}
