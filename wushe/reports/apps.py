from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "wushe.reports"
    label = "reports"
    verbose_name = _("Figures and reports")

    def ready(self) -> None:
        # The KPI catalogue, the rollup job, the demo step and the benchmarks register on
        # import; the cockpit goes in the menu for whoever holds reports.view.
        from wushe.accounts.roles import Role
        from wushe.reports import bench, demo, jobs, jobs_annual, kpis, stats  # noqa: F401
        from wushe.web import home, navigation

        stats.install()  # `wushe stats` reads the KPI module (after every app's own block)

        navigation.register(navigation.NavItem(_("Cockpit"), "reports:cockpit", "reports.view"))
        navigation.register(navigation.NavItem(_("Annual report"), "reports:annual",
                                               "reports.export"))
        for role in (Role.DISTRICT_ADMIN, Role.STREET_STAFF):
            home.add_tasks(role, [(_("Cockpit"), "reports:cockpit"),
                                  (_("Annual work report"), "reports:annual")])
        home.add_tasks(Role.COMMUNITY_STAFF, [(_("Cockpit"), "reports:cockpit")])
