from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "wushe.people"
    label = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        from wushe.people import importers, stats, subject_access  # noqa: F401
        from wushe.people.names import register_name_indexes
        from wushe.web import navigation

        navigation.register(navigation.NavItem(_("Copy of personal data"),
                                               "people:subject_access", subject_access.PERM,
                                               group="admin"))
        # ``wushe reencrypt`` recomputes the name index over its normalised form.
        register_name_indexes("people.Person.name")
