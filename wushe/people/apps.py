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
        from django.db.models.signals import post_migrate

        from wushe.people.names import scrub_after_migrate

        post_migrate.connect(scrub_after_migrate, sender=self,
                             dispatch_uid="people.scrub_after_migrate")
        # ``wushe reencrypt`` recomputes the name index over its normalised form.
        register_name_indexes("people.Person.name")
