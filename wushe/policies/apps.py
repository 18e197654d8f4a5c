from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PoliciesConfig(AppConfig):
    name = "wushe.policies"
    label = "policies"
    verbose_name = _("Policy documents")

    def ready(self) -> None:
        # Audit codes and the demo step register on import.
        from wushe.policies import audit_codes, demo  # noqa: F401
        from wushe.policies.selectors import by_keys
        from wushe.regions import rules

        rules.register_document_lookup("policies", by_keys)  # the documents rules cite
        from wushe.web import navigation
        from wushe.web.navigation import NavItem

        navigation.register(NavItem(_("Policy documents"), "policies:list", "regions.view",
                                    group="admin"))
