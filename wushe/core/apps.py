from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wushe.core"
    label = "core"
    verbose_name = "core"

    def ready(self) -> None:
        from wushe.core import plannerstats, progress  # noqa: F401  (register periodic jobs)
