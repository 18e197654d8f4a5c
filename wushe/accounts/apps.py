from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "wushe.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.core.checks import register

        from wushe.accounts import jobs, signals, stats  # noqa: F401
        from wushe.accounts.oidc import check_settings

        register(check_settings)  # WUSHE_OIDC_MATCH is subject (wushe.E047)
