from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wushe.core"
    label = "core"
    verbose_name = "core"

    def ready(self) -> None:
        from wushe.core import plannerstats, progress  # noqa: F401  (register periodic jobs)
        from wushe.core.urlconverters import register_id_converter

        register_id_converter()  # <id:...> in every urls.py, before the URLconf is loaded
