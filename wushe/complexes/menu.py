"""The menu entry: the community complexes, for street and community staff."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.web import navigation

navigation.register(navigation.NavItem(_("Community complexes"), "complexes:list",
                                       "complexes.view", group="community"))
