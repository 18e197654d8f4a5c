from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wushe.core"
    label = "core"
    verbose_name = "core"

    def ready(self) -> None:
        from wushe.core import progress  # noqa: F401  (registers the periodic job)
