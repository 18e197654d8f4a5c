"""The menu entry: the 12345 orders page, for the staff who take needs in."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from wushe.web import navigation

navigation.register(navigation.NavItem(_("12345 work orders"), "hotline:list", "needs.intake",
                                       group="community"))
