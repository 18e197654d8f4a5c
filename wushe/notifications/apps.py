from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "wushe.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Register: audit codes, the built-in address resolvers (send), the delivery round
        # (jobs) and the benchmark block.
        # Part B: the work scan job (scan; the escalation hook is needs/notify_escalation.py),
        # its bench block (bench_scan), the outbox menu entry (menu).
        from wushe.notifications import (  # noqa: F401
            audit_codes,
            bench,
            bench_scan,
            jobs,
            menu,
            scan,
            send,
        )
        from wushe.notifications.selectors import unread_count
        from wushe.web import shell

        shell.register_counter("unread", unread_count)  # the bell (web imports no notifications)
