from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivilisationConfig(AppConfig):
    name = "wushe.civilisation"
    label = "civilisation"
    verbose_name = _("Civilisation practice")

    def ready(self) -> None:
        # Audit codes and the demo step register on import.
        from wushe.civilisation import audit_codes, demo  # noqa: F401
        from wushe.web import navigation
        from wushe.web.navigation import NavItem

        navigation.register(NavItem(_("Civilisation practice sites"), "civilisation:sites",
                                    "volunteers.view", group="volunteers"))
        navigation.register(NavItem(_("Pairings (结对共建)"), "civilisation:pairings",
                                    "volunteers.view", group="volunteers"))
        navigation.register(NavItem(_("Practice domains"), "civilisation:domains",
                                    "volunteers.view", group="volunteers"))
