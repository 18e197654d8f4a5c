from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "wushe.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from wushe.people import importers, stats  # noqa: F401
