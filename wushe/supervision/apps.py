from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "wushe.supervision"
    label = "supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        # Audit codes, local rules, figures, the periodic job, the demo step, the benchmark and
        # the project-page panel register on import.
        from wushe.supervision import (  # noqa: F401
            audit_codes,
            bench,
            demo,
            jobs,
            rules,
            stats,
            work,
        )
        from wushe.supervision.registry import register_ui

        register_ui()
