from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "wushe.volunteers"
    label = "volunteers"
    verbose_name = _("Volunteers")

    def ready(self) -> None:
        # Audit codes, local rules, the roster importer, figures, the benchmark, the demo step
        # and the linkage provider (volunteer teams answering needs) register on import.
        from wushe.accounts.roles import Role
        from wushe.volunteers import (  # noqa: F401
            audit_codes,
            bench,
            demo,
            importers,
            linkage,
            national,
            rules,
            stats,
            work,
        )
        from wushe.web import home, navigation

        nav = navigation.NavItem
        navigation.register(nav(_("Volunteers"), "volunteers:list", "volunteers.view"))
        navigation.register(nav(_("Volunteer teams"), "volunteers:teams", "volunteers.view"))
        navigation.register(nav(_("Activities"), "volunteers:activities", "volunteers.view"))
        navigation.register(nav(_("Hours to confirm"), "volunteers:queue", "volunteers.confirm"))
        navigation.register(nav(_("National volunteer record export"),
                                "volunteers:national_export", "volunteers.manage"))
        home.add_tasks(Role.VOLUNTEER, [(_("My hours, stars and certificates"), "volunteers:me")])
        home.add_tasks(Role.TEAM_LEADER, [(_("Activity calendar"), "volunteers:activities"),
                                          (_("My teams"), "volunteers:teams"),
                                          (_("Hours to confirm"), "volunteers:queue")])
        home.add_tasks(Role.COMMUNITY_STAFF, [(_("Register a volunteer"), "volunteers:create")])
        home.add_tasks(Role.STREET_STAFF, [(_("Volunteer teams"), "volunteers:teams"),
                                           (_("Hours to confirm"), "volunteers:queue")])
        home.add_tasks(Role.DISTRICT_ADMIN, [(_("Volunteer teams"), "volunteers:teams")])
        home.add_tasks(Role.SOCIAL_WORKER, [(_("Volunteers"), "volunteers:list")])
        home.add_tasks(Role.AUDITOR, [(_("Volunteer service records"), "volunteers:records")])
