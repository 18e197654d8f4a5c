"""The menu entry of the renovation programme (called from ready())."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.renovation.services import VIEW
from wushe.web import navigation
from wushe.web.navigation import NavItem


def register_ui() -> None:
    navigation.register(NavItem(_("Centre renovation"), "renovation:programmes", VIEW,
                                group="community"))
