from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResidentsConfig(AppConfig):
    name = "wushe.residents"
    label = "residents"
    verbose_name = _("Residents in care")

    def ready(self) -> None:
        from wushe.accounts.roles import Role
        from wushe.needs import hooks, perms
        from wushe.residents import audit_codes, importers, stats  # noqa: F401  (they register)
        from wushe.residents.access import may_see
        from wushe.residents.selectors import profiles_of_person
        from wushe.web import home, navigation

        # Intake links a need to a care profile through these (needs imports no residents).
        hooks.READS.care_profiles_of = profiles_of_person
        hooks.READS.may_see_care_profile = may_see

        navigation.register(navigation.NavItem(_("Residents in care"), "residents:list",
                                               perms.CARE_VIEW))
        navigation.register(navigation.NavItem(_("Hardship ledgers"), "residents:ledgers",
                                               perms.CARE_VIEW))
        home.add_tasks(Role.COMMUNITY_STAFF, [(_("Residents in care"), "residents:list")])
        home.add_tasks(Role.STREET_STAFF, [(_("Hardship ledgers"), "residents:ledgers")])
