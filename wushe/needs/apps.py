from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "wushe.needs"
    label = "needs"
    verbose_name = _("Needs and the linkage")

    def ready(self) -> None:
        # Register: audit codes, local rules, the SLA job, figures, the Excel importer, the
        # demo step and the benchmarks; then the providers this app writes itself.
        from django.db.models.signals import post_delete, post_save

        from wushe.needs import (  # noqa: F401
            audit_codes,
            bench,
            demo,
            demo_budget,
            importers,
            rules,
            sla,
            sla_job,
            stats,
            work,
            work_ideas,
        )
        from wushe.needs.providers import register_defaults
        from wushe.regions.models import RegionRule

        register_defaults()
        # SMS to residents who asked (issue #17): the address resolver and the step listener.
        # An escalation is told to the level it reached (notifications imports no needs module).
        from wushe.needs import notify, notify_escalation  # noqa: F401
        # A rule set or cleared in this process applies at once (others within the TTL).
        for signal in (post_save, post_delete):
            signal.connect(_forget_rules, sender=RegionRule,
                           dispatch_uid=f"needs.rules.{signal is post_save}")
        self._navigation()

    def _navigation(self) -> None:

        from wushe.accounts.roles import Role
        from wushe.needs import perms
        from wushe.web import home, navigation

        navigation.register(navigation.NavItem(_("Needs"), "needs:queue", perms.NEED_VIEW))
        navigation.register(navigation.NavItem(_("Demand menu"), "needs:menu", perms.NEED_MENU))
        navigation.register(navigation.NavItem(_("Ideas"), "needs:ideas", perms.IDEA_VIEW))
        navigation.register(navigation.NavItem(_("Self-governance budgets"), "needs:budgets",
                                               perms.BUDGET_VIEW))
        home.add_tasks(Role.COMMUNITY_STAFF, [(_("Needs: the dispatch queue"), "needs:queue"),
                                              (_("Window intake"), "needs:intake")])
        home.add_tasks(Role.STREET_STAFF, [(_("Needs: the dispatch queue"), "needs:queue")])
        home.add_tasks(Role.DISTRICT_ADMIN, [(_("Demand menu"), "needs:menu"),
                                             (_("Needs: the dispatch queue"), "needs:queue")])
        home.add_tasks(Role.SOCIAL_WORKER, [(_("Needs: the dispatch queue"), "needs:queue")])


def _forget_rules(**_kwargs: object) -> None:
    from wushe.needs.sla import clear_rule_cache

    clear_rule_cache()
