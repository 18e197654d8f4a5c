from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "wushe.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Register: audit codes, the built-in address resolvers (services), the delivery round
        # (jobs) and the benchmark block.
        from wushe.notifications import audit_codes, bench, jobs, services  # noqa: F401
