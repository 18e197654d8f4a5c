from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplexesConfig(AppConfig):
    name = "wushe.complexes"
    label = "complexes"
    verbose_name = _("Community complexes")

    def ready(self) -> None:
        # Audit codes, the local rule, the menu entry, the work item and the demo step register
        # on import.
        from wushe.complexes import audit_codes, demo, menu, rules, work  # noqa: F401
