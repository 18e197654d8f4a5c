from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkforceConfig(AppConfig):
    name = "wushe.workforce"
    label = "workforce"
    verbose_name = _("Social workers and community workers")

    def ready(self) -> None:
        # Audit codes, local rules, figures, importers, the work item, the demo step and the
        # benchmark register on import.
        from wushe.workforce import (  # noqa: F401
            audit_codes,
            bench,
            coverage,
            demo,
            demo_adjustments,
            importers,
            rules,
            stats,
            work,
        )
        from wushe.workforce.registry import register_ui

        register_ui()
