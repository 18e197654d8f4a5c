from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "wushe.regions"
    label = "regions"
    verbose_name = _("Regions and sites")

    def ready(self) -> None:
        from wushe.regions import coverage, stats  # noqa: F401  (register checks and figures)
