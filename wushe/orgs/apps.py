from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    name = "wushe.orgs"
    label = "orgs"
    verbose_name = _("Social organisations")

    def ready(self) -> None:
        # Audit codes, local rules, figures, the importer and the demo step register on import.
        from wushe.orgs import (  # noqa: F401
            audit_codes,
            demo,
            importers,
            linkage,
            rules,
            stats,
            work,
        )
        from wushe.orgs.registry import register_ui

        register_ui()
