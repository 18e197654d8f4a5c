from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "wushe.inbox"
    label = "inbox"
    verbose_name = _("Work")

    def ready(self) -> None:
        # The benchmark block registers on import.
        from wushe.inbox import bench  # noqa: F401
