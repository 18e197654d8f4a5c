from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CharityConfig(AppConfig):
    name = "wushe.charity"
    label = "charity"
    verbose_name = _("Charity resources")

    def ready(self) -> None:
        # Audit codes, local rules, figures and the coverage check register at import.
        from wushe.accounts.roles import Role
        from wushe.charity import (  # noqa: F401
            audit_codes,
            bench,
            coverage,
            demo,
            demo_campaigns,
            linkage,
            rules,
            stats,
            work,
        )
        from wushe.people.names import register_name_indexes
        from wushe.web import home, navigation

        register_name_indexes("charity.Donor.name")  # recomputed by ``wushe reencrypt``
        # The fund ledger a backup records and a restore verifies.
        from wushe.charity.verify import backup_check
        from wushe.core import backup

        backup.register_ledger(backup.Ledger("charity", "charity.LedgerHead", verify=backup_check))

        navigation.register(navigation.NavItem(_("Charity"), "charity:funds", "charity.view"))
        navigation.register(navigation.NavItem(_("Online campaigns"), "charity:campaigns",
                                               "charity.view"))
        home.add_tasks(Role.FUND_MANAGER, [
            (_("Disbursements awaiting approval"), "charity:disbursements"),
            (_("Charity funds"), "charity:funds")])
        home.add_tasks(Role.DISTRICT_ADMIN, [(_("Charity funds"), "charity:funds")])
        home.add_tasks(Role.STREET_STAFF, [(_("Community funds"), "charity:funds")])
        home.add_tasks(Role.COMMUNITY_STAFF, [(_("Community fund"), "charity:funds")])
        home.add_tasks(Role.AUDITOR, [(_("Charity donations"), "charity:donations")])
