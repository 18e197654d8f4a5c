from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InboxConfig(AppConfig):
    name = "wushe.inbox"
    label = "inbox"
    verbose_name = _("Work")

    def ready(self) -> None:
        # The benchmark block registers on import.
        from wushe.inbox import bench  # noqa: F401
        from wushe.inbox.selectors import badge_count, work_groups
        from wushe.web import shell

        # The menu's badge and the home page's open work (web imports no inbox module).
        shell.register_counter("work", badge_count)
        shell.register_work(work_groups)
