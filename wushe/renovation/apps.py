from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RenovationConfig(AppConfig):
    name = "wushe.renovation"
    label = "renovation"
    verbose_name = _("Party-centre renovation")

    def ready(self) -> None:
        # Audit codes, the work item and the demo step register on import; the menu entry in
        # register_ui.
        from wushe.renovation import audit_codes, demo, work  # noqa: F401
        from wushe.renovation.registry import register_ui

        register_ui()
