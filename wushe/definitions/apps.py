from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DefinitionsConfig(AppConfig):
    name = "wushe.definitions"
    label = "definitions"
    verbose_name = _("KPI dictionary")

    def ready(self) -> None:
        # Audit codes, the demo step and the inbox producer register on import.
        from wushe.definitions import audit_codes, demo, selectors, work  # noqa: F401
        from wushe.reports.kpis import history

        # The annual report cites the approved version through this.
        history.register_dictionary_citation(selectors.citation)
        from wushe.web import navigation
        from wushe.web.navigation import NavItem

        navigation.register(NavItem(_("KPI dictionary"), "definitions:index",
                                    "reports.view", group="reports"))
