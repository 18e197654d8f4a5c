"""The notifications' menu entry: the outbox, for accounts with ``notifications.outbox``
(the bell in the header links every account to its own notifications)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.web import navigation

navigation.register(navigation.NavItem(_("Outbox"), "notifications:outbox",
                                       "notifications.outbox"))
