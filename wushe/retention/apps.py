from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RetentionConfig(AppConfig):
    name = "wushe.retention"
    label = "retention"
    verbose_name = _("Retention")

    def ready(self) -> None:
        # The local rules, the record kinds, the periodic job and the menu entry register on
        # import.
        from wushe.retention import jobs, kinds, rules  # noqa: F401
        from wushe.web import navigation

        navigation.register(navigation.NavItem(_("Retention"), "retention:report",
                                               "rules.manage", group="admin"))
