from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpeningsConfig(AppConfig):
    name = "wushe.openings"
    label = "openings"
    verbose_name = _("Opening balances")

    def ready(self) -> None:
        # Audit codes, the demo step and the inbox producer register on import.
        from wushe.openings import audit_codes, demo, figures, work  # noqa: F401
        from wushe.reports.kpis import history

        # The KPI engine, the cockpit and the annual report read the balances through this.
        history.register_openings(figures)
        from wushe.web import navigation
        from wushe.web.navigation import NavItem

        navigation.register(NavItem(_("Opening balances"), "openings:list", "rules.manage",
                                    group="admin"))
