from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wushe.core"
    label = "core"
    verbose_name = "core"

    def ready(self) -> None:
        from django.core.checks import register

        from wushe.core import exportjobs, importjobs, plannerstats, progress  # noqa: F401  (kinds)
        from wushe.core.context import check_trusted_proxies
        from wushe.core.urlconverters import register_id_converter

        register(check_trusted_proxies, "security")  # WUSHE_TRUSTED_PROXIES parses
        from wushe.core.jsonlog import check_log_format
        from wushe.core.metrics import check_metrics_allow
        from wushe.core.surface import check_surface

        register(check_surface)  # WUSHE_SURFACE is all, public or staff
        register(check_metrics_allow, "security")  # WUSHE_METRICS_ALLOW parses
        register(check_log_format)  # WUSHE_LOG_FORMAT is text or json
        register_id_converter()  # <id:...> in every urls.py, before the URLconf is loaded
