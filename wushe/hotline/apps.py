from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HotlineConfig(AppConfig):
    name = "wushe.hotline"
    label = "hotline"
    verbose_name = _("12345 hotline work orders")

    def ready(self) -> None:
        # Register: audit codes, the need-step hook that queues status updates, the periodic
        # push round, the Excel importer and the menu entry.
        from wushe.hotline import (  # noqa: F401
            audit_codes,
            hooks,
            importers,
            jobs,
            menu,
        )
